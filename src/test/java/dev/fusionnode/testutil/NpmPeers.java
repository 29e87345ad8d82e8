package dev.fusionnode.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the npm peers of the tests live ({@code node_modules} under {@code target/npm} by default,
 * installed by {@code .ci/run}; another folder with {@code -Dfusionnode.npm.dir}).
 */
public final class NpmPeers {
    private NpmPeers() {}

    /** The folder holding {@code node_modules}. */
    public static Path prefix() {
        return Path.of(System.getProperty("fusionnode.npm.dir", "target/npm")).toAbsolutePath();
    }

    /** The installed module's folder, or null when node or the module is missing. */
    public static Path module(String name) {
        Path m = prefix().resolve("node_modules").resolve(name);
        boolean node = Files.isExecutable(Path.of("/usr/bin/node"));
        return node && Files.isDirectory(m) ? m : null;
    }
}

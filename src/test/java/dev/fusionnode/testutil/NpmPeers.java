package dev.fusionnode.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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

    /** True when node and npm {@code @mcap/core} and {@code @mcap/support} are installed. */
    public static boolean mcapReaderAvailable() {
        return module("@mcap/core") != null && module("@mcap/support") != null;
    }

    /**
     * What npm {@code @mcap/core}'s indexed reader finds in {@code mcap} ({@code
     * src/test/js/mcap_summary.mjs}: schemas, channels with counts, statistics, first messages).
     */
    public static JsonObject mcapSummary(Path mcap) throws Exception {
        return runScript("src/test/js/mcap_summary.mjs", mcap, 60);
    }

    /**
     * A ROS 2 bag in MCAP read and decoded by npm {@code @mcap/core} and {@code
     * @foxglove/rosmsg2-serialization} ({@code src/test/js/ros2_bag_read.mjs}).
     */
    public static JsonObject ros2BagRead(Path mcap) throws Exception {
        return runScript("src/test/js/ros2_bag_read.mjs", mcap, 120);
    }

    /** Runs a reading script on {@code file}; its one JSON line is what it found. */
    private static JsonObject runScript(String script, Path file, int seconds) throws Exception {
        Process read =
                new ProcessBuilder(
                                "node",
                                script,
                                prefix().resolve("node_modules").toString(),
                                file.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(read.getInputStream().readAllBytes());
        assertThat(read.waitFor(seconds, TimeUnit.SECONDS)).isTrue();
        assertThat(read.exitValue()).as(out).isZero();
        return new JsonObject(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    }
}

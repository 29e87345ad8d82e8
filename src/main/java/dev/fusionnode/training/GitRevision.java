package dev.fusionnode.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The git revision of the working directory, for provenance ("unknown" outside a checkout). */
final class GitRevision {
    private GitRevision() {}

    static String current() {
        if (!Files.isDirectory(Path.of(".git"))) {
            return "unknown";
        }
        try {
            Process p =
                    new ProcessBuilder("git", "rev-parse", "HEAD")
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }
}

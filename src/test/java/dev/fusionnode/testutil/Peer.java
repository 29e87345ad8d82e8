package dev.fusionnode.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real peer from outside the JVM that some tests talk to (a browser, a broker, command-line
 * clients, Python with numpy or PyTorch, npm packages). A test that needs one calls {@link
 * #require}; where the peer is missing the test is skipped with a reason naming the peer and how to
 * install it, which {@link SkippedTestsListener} writes to the build's console. {@code .ci/run}
 * installs them all.
 */
public enum Peer {
    /** Debian's Chromium browser. */
    CHROMIUM("Debian chromium", "apt-get install chromium") {
        @Override
        boolean available() {
            return executable("/usr/bin/chromium");
        }
    },
    /** The mosquitto broker (with mosquitto_passwd) and its command-line clients. */
    MOSQUITTO_BROKER(
            "Debian mosquitto and mosquitto-clients",
            "apt-get install mosquitto mosquitto-clients") {
        @Override
        boolean available() {
            return executable(Mosquitto.BROKER.toString())
                    && executable("/usr/bin/mosquitto_passwd")
                    && MOSQUITTO_CLIENTS.available();
        }
    },
    /** mosquitto_sub and mosquitto_pub. */
    MOSQUITTO_CLIENTS("Debian mosquitto-clients", "apt-get install mosquitto-clients") {
        @Override
        boolean available() {
            return executable(Mosquitto.SUB.toString()) && executable("/usr/bin/mosquitto_pub");
        }
    },
    /** curl. */
    CURL("curl", "apt-get install curl") {
        @Override
        boolean available() {
            return executable("/usr/bin/curl");
        }
    },
    /** The openssl command. */
    OPENSSL("openssl", "apt-get install openssl") {
        @Override
        boolean available() {
            return executable("/usr/bin/openssl");
        }
    },
    /** systemd-analyze (checks unit files). */
    SYSTEMD_ANALYZE("systemd-analyze", "apt-get install systemd") {
        @Override
        boolean available() {
            return executable("/usr/bin/systemd-analyze");
        }
    },
    /** The Linux device that fails every write with ENOSPC. */
    DEV_FULL("the /dev/full device", "a Linux system with /dev/full") {
        @Override
        boolean available() {
            return Files.exists(Path.of("/dev/full"));
        }
    },
    /** Debian's Python 3 with numpy and Pillow. */
    PYTHON_NUMPY(
            "Debian python3 with numpy and Pillow",
            "apt-get install python3 python3-numpy python3-pil") {
        @Override
        boolean available() {
            return python("import numpy, PIL");
        }
    },
    /** Debian's Python 3 with its sqlite3 module (writes ROS 2 {@code .db3} bags). */
    PYTHON_SQLITE("Debian python3 (sqlite3 module)", "apt-get install python3") {
        @Override
        boolean available() {
            return python("import sqlite3");
        }
    },
    /** Debian's Python 3 with PyTorch. */
    PYTHON_TORCH("Debian python3 with PyTorch", "apt-get install python3-torch") {
        @Override
        boolean available() {
            return python("import torch");
        }
    };

    private final String title;
    private final String install;
    private volatile Boolean present;

    Peer(String title, String install) {
        this.title = title;
        this.install = install;
    }

    abstract boolean available();

    /** True when the peer is installed (checked once per test run). */
    public boolean present() {
        Boolean p = present;
        if (p == null) {
            p = available();
            present = p;
        }
        return p;
    }

    /** Skips the calling test, naming the peer and how to install it, when the peer is missing. */
    public void require() {
        Assumptions.assumeTrue(present(), () -> missing(title, install));
    }

    /**
     * Skips the calling test unless node and every npm package in {@code modules} are installed
     * under {@link NpmPeers#prefix()}.
     */
    public static void requireNpm(String... modules) {
        List<String> absent = new ArrayList<>();
        for (String m : modules) {
            if (NpmPeers.module(m) == null) {
                absent.add(m);
            }
        }
        Assumptions.assumeTrue(
                absent.isEmpty(),
                () ->
                        missing(
                                "node and the npm "
                                        + (absent.size() == 1 ? "package " : "packages ")
                                        + String.join(", ", absent),
                                "npm install --prefix target/npm " + String.join(" ", absent)));
    }

    private static String missing(String what, String how) {
        return "needs " + what + " (install: " + how + ", or run bash .ci/run)";
    }

    private static boolean executable(String path) {
        return Files.isExecutable(Path.of(path));
    }

    private static boolean python(String statement) {
        if (!executable("/usr/bin/python3")) {
            return false;
        }
        try {
            Process p =
                    new ProcessBuilder("/usr/bin/python3", "-c", statement)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package dev.fusionnode.testutil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Debian's {@code mosquitto} broker and {@code mosquitto_sub} client as real peers of the tests: a
 * broker started on a loopback port and stopped by the test, and subscribers whose output is read
 * after they exit (never line by line while they run).
 */
public final class Mosquitto implements AutoCloseable {
    /** The broker binary. */
    public static final Path BROKER = Path.of("/usr/sbin/mosquitto");

    /** The subscriber binary. */
    public static final Path SUB = Path.of("/usr/bin/mosquitto_sub");

    private final Path dir;
    private final int port;
    private final String extraConfig;
    private Process process;

    private Mosquitto(Path dir, int port, String extraConfig) {
        this.dir = dir;
        this.port = port;
        this.extraConfig = extraConfig;
    }

    /** A free TCP port on loopback. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts a broker on 127.0.0.1:{@code port} (anonymous, no persistence), logging to {@code
     * dir}.
     */
    public static Mosquitto start(Path dir, int port) throws IOException, InterruptedException {
        return start(dir, port, "allow_anonymous true\n");
    }

    /**
     * Starts a broker on 127.0.0.1:{@code port} with extra configuration lines (TLS, passwords).
     */
    public static Mosquitto start(Path dir, int port, String extraConfig)
            throws IOException, InterruptedException {
        Mosquitto m = new Mosquitto(dir, port, extraConfig);
        m.startProcess();
        return m;
    }

    private void startProcess() throws IOException, InterruptedException {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(
                conf,
                "listener "
                        + port
                        + " 127.0.0.1\n"
                        + extraConfig
                        + "user root\n"
                        + "persistence false\n"
                        + "log_dest stdout\n"
                        + "log_type error\nlog_type warning\nlog_type notice\n");
        process =
                new ProcessBuilder(BROKER.toString(), "-c", conf.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("mosquitto.log").toFile()))
                        .start();
        Awaitility.await("mosquitto listening on port " + port)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .failFast(
                        "mosquitto exited (see " + dir.resolve("mosquitto.log") + ")",
                        () -> !process.isAlive())
                .until(this::listening);
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The broker's port. */
    public int port() {
        return port;
    }

    /** Kills the broker (SIGKILL: no goodbye to clients, as when a broker host dies). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts the broker again on the same port. */
    public void restart() throws IOException, InterruptedException {
        startProcess();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** A received message: topic and payload. */
    public record Received(String topic, byte[] payload) {}

    /**
     * Runs {@code mosquitto_sub} until it has {@code count} messages of {@code topic} or {@code
     * timeoutSeconds} pass (MQTT 3.1.1 unless {@code version} says otherwise).
     */
    public static Subscriber subscribe(
            int port, String topic, int count, int timeoutSeconds, Path dir, String... extraArgs)
            throws IOException {
        Path out = Files.createTempFile(dir, "mosquitto_sub", ".txt");
        List<String> cmd = new ArrayList<>();
        // line-buffered (coreutils stdbuf), so that the SUBACK line is in the file when it comes
        cmd.addAll(List.of("stdbuf", "-oL", SUB.toString()));
        cmd.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of("-V", "mqttv311", "-t", topic, "-C", Integer.toString(count)));
        cmd.addAll(List.of("-W", Integer.toString(timeoutSeconds), "-F", "%t %x", "-d"));
        cmd.addAll(List.of(extraArgs));
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        return new Subscriber(p, out, timeoutSeconds);
    }

    /** A running {@code mosquitto_sub} (with {@code -d}: its protocol steps are in the output). */
    public record Subscriber(Process process, Path out, int timeoutSeconds) {
        /** Waits until the broker has acknowledged the subscription (SUBACK). */
        public Subscriber awaitSubscribed() {
            Awaitility.await("mosquitto_sub subscribed")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .failFast("mosquitto_sub exited", () -> !process.isAlive())
                    .until(
                            () ->
                                    Files.readString(out, StandardCharsets.UTF_8)
                                            .contains("received SUBACK"));
            return this;
        }

        /** Waits for it to exit and returns what it received. */
        public List<Received> await() throws IOException, InterruptedException {
            if (!process.waitFor(timeoutSeconds + 10L, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            List<Received> in = new ArrayList<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                if (line.startsWith("Client ") || line.startsWith("Subscribed (")) {
                    continue; // -d protocol steps
                }
                int sp = line.indexOf(' ');
                if (sp > 0 && line.length() > sp + 1) {
                    try {
                        in.add(
                                new Received(
                                        line.substring(0, sp),
                                        HexFormat.of().parseHex(line.substring(sp + 1))));
                    } catch (IllegalArgumentException e) {
                        throw new AssertionError("mosquitto_sub printed: " + line, e);
                    }
                } else if (!line.isBlank()) {
                    throw new AssertionError("mosquitto_sub printed: " + line);
                }
            }
            return in;
        }
    }
}

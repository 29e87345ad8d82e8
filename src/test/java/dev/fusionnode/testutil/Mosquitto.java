package dev.fusionnode.testutil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException(
                            "mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto did not listen on port " + port + " within 20 s");
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
        cmd.addAll(List.of(SUB.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of("-V", "mqttv311", "-t", topic, "-C", Integer.toString(count)));
        cmd.addAll(List.of("-W", Integer.toString(timeoutSeconds), "-F", "%t %x"));
        cmd.addAll(List.of(extraArgs));
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        return new Subscriber(p, out, timeoutSeconds);
    }

    /** A running {@code mosquitto_sub}. */
    public record Subscriber(Process process, Path out, int timeoutSeconds) {
        /** Waits for it to exit and returns what it received. */
        public List<Received> await() throws IOException, InterruptedException {
            if (!process.waitFor(timeoutSeconds + 10L, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            List<Received> in = new ArrayList<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
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

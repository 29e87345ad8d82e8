package dev.fusionnode.cli;

import dev.fusionnode.config.ConfigException;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fusion-node run}: starts the node from a JSON config and runs until stopped. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Start the node from a JSON config and run until stopped.",
            "Ctrl-C or SIGTERM stops it cleanly: the sources stop first and every frame already"
                    + " taken in still gets its mask."
        })
final class RunCommand implements Callable<Integer> {
    private static volatile boolean running;

    @Option(
            names = {"-c", "--config"},
            defaultValue = "config/node.json",
            description = "Config file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(
            names = "--duration",
            description = "Stop after this many seconds (default: run until SIGTERM / Ctrl-C).")
    Double durationS;

    static boolean keepsRunning() {
        return running;
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        NodeOptions options = load(config);
        return options == null ? 2 : runNode(options, durationS);
    }

    /** The config with environment overrides, or null after printing why it is invalid. */
    static NodeOptions load(Path config) {
        try {
            return NodeOptions.load(config, System.getenv());
        } catch (ConfigException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return null;
        }
    }

    /**
     * Exit code of a node that could not start (a model, a port, a file); 2 is bad configuration.
     */
    static final int START_FAILED = 3;

    /** The one-line reason of a failed start: the message, or the exception's name without one. */
    static String reason(Throwable e) {
        Throwable t = e;
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /**
     * Starts the node and runs it for {@code durationS} seconds (then prints its status), or until
     * SIGTERM / Ctrl-C when null.
     */
    static int runNode(NodeOptions options, Double durationS) throws Exception {
        NodeRuntime rt;
        try {
            rt = NodeRuntime.start(options, true).await(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("node failed to start: " + reason(e));
            return START_FAILED;
        }
        System.out.printf(
                "fusion-node up: http://%s:%d (health: /health/ready, metrics: /metrics, status: /api/status)%n",
                options.http().host(), rt.httpPort());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        rt.stop()
                                                .await(
                                                        NodeRuntime.DRAIN_MS / 1000 + 15,
                                                        TimeUnit.SECONDS);
                                    } catch (Exception e) {
                                        System.err.println("shutdown did not finish cleanly: " + e);
                                    }
                                    stopped.countDown();
                                },
                                "fusion-node-shutdown"));
        if (durationS != null) {
            Thread.sleep((long) (durationS * 1000));
            System.out.println(rt.status().snapshot().encodePrettily());
            return 0;
        }
        running = true;
        stopped.await();
        return 0;
    }
}

package dev.fusionnode.app;

import java.util.logging.Level;
import java.util.logging.Logger;

/** One-line java.util.logging format for the node (slf4j is bound to JUL). */
final class Logging {
    /**
     * vertx-micrometer-metrics 5.0.8 re-registers its {@code vertx.eventbus.handlers} gauge for
     * every consumer, and Micrometer 1.17 warns about it once; that one message is filtered (strong
     * reference: JUL keeps loggers weakly).
     */
    private static final Logger METER_REGISTRY =
            Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");

    private Logging() {}

    static void configure() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty(
                    "java.util.logging.SimpleFormatter.format",
                    "%1$tF %1$tT.%1$tL %4$-7s %3$s - %5$s%6$s%n");
        }
        String level = System.getenv().getOrDefault("FUSIONNODE_LOG_LEVEL", "INFO");
        try {
            Logger.getLogger("").setLevel(Level.parse(level));
        } catch (IllegalArgumentException e) {
            Logger.getLogger("").setLevel(Level.INFO);
        }
        METER_REGISTRY.setFilter(
                r -> r.getMessage() == null || !r.getMessage().contains("vertx.eventbus.handlers"));
        // keep third-party chatter out of the node's log
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
        Logger.getLogger("ai.djl").setLevel(Level.WARNING);
    }
}

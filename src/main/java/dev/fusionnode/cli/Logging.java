package dev.fusionnode.cli;

import dev.fusionnode.logging.RepeatLimitingHandler;
import java.io.IOException;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
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

    /** Third-party loggers kept at WARNING (strong references, for the same reason). */
    private static final List<Logger> QUIET =
            List.of(
                    Logger.getLogger("io.netty"),
                    Logger.getLogger("ai.djl"),
                    Logger.getLogger("io.moquette"));

    /**
     * Moquette logs a client that closes its connection abruptly ({@code mosquitto_sub -C 1}: the
     * socket is gone before the broker writes) as SEVERE with a stack trace; that is a normal
     * disconnect, so such records are dropped (strong reference, as above).
     */
    private static final Logger MOQUETTE_CONNECTIONS =
            Logger.getLogger("io.moquette.broker.NewNettyMQTTHandler");

    private Logging() {}

    /** A record of a client connection that the peer closed (broken pipe, reset by peer). */
    static boolean peerClosed(LogRecord r) {
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof IOException
                    && m != null
                    && (m.contains("Broken pipe") || m.contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

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
        MOQUETTE_CONNECTIONS.setFilter(r -> !peerClosed(r));
        // keep third-party chatter out of the node's log
        QUIET.forEach(l -> l.setLevel(Level.WARNING));
        limitRepeats(Logger.getLogger(""));
    }

    /** Puts a {@link RepeatLimitingHandler} in front of each of {@code root}'s handlers (once). */
    static void limitRepeats(Logger root) {
        for (Handler h : root.getHandlers()) {
            if (!(h instanceof RepeatLimitingHandler)) {
                root.removeHandler(h);
                root.addHandler(new RepeatLimitingHandler(h));
            }
        }
    }
}

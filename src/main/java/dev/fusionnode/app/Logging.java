package dev.fusionnode.app;

import java.util.logging.Level;
import java.util.logging.Logger;

/** One-line java.util.logging format for the node (slf4j is bound to JUL). */
final class Logging {
    private Logging() {}

    static void configure() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty(
                    "java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %3$s - %5$s%6$s%n");
        }
        String level = System.getenv().getOrDefault("FUSIONNODE_LOG_LEVEL", "INFO");
        try {
            Logger.getLogger("").setLevel(Level.parse(level));
        } catch (IllegalArgumentException e) {
            Logger.getLogger("").setLevel(Level.INFO);
        }
        // keep third-party chatter out of the node's log
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
        Logger.getLogger("ai.djl").setLevel(Level.WARNING);
    }
}

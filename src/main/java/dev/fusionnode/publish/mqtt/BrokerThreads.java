package dev.fusionnode.publish.mqtt;

/**
 * Sizes the embedded broker's network threads. Moquette makes its Netty event loop groups at
 * Netty's default size, two threads a core, and every subscriber's connection gets one of them: on
 * an onboard computer of two cores a mask for four MQTT subscribers woke four threads besides the
 * broker's own session loops. The default size is Netty's system property {@value #PROPERTY}, read
 * once when Netty first makes a group (Vert.x does at start), so this runs first in {@code main};
 * Vert.x sizes its own groups and is not affected, and nothing else in the node makes a Netty group
 * of the default size.
 */
public final class BrokerThreads {
    /** Netty's system property for the size of a group made without one. */
    public static final String PROPERTY = "io.netty.eventLoopThreads";

    private BrokerThreads() {}

    /**
     * Sets Netty's default group size to half the cores (at least one) unless the property is set
     * already (then the user's value stands).
     *
     * @return the size in force
     */
    public static String configure() {
        String set = System.getProperty(PROPERTY);
        if (set != null) {
            return set;
        }
        String size = Integer.toString(forCores(Runtime.getRuntime().availableProcessors()));
        System.setProperty(PROPERTY, size);
        return size;
    }

    /** Half the cores, at least one. */
    static int forCores(int cores) {
        return Math.max(1, cores / 2);
    }
}

package dev.fusionnode.publish.mqtt;

import dev.fusionnode.config.BindAddresses;
import dev.fusionnode.config.ConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * MQTT publishing ({@code mqtt} block). Without a {@code host} the node runs its own broker ({@link
 * Embedded}, loopback by default); with one it connects to that broker as a client.
 *
 * @param enabled publish over MQTT at all
 * @param host external broker host; empty = start the embedded broker
 * @param port external broker port
 * @param tls connect to the external broker over TLS
 * @param caFile PEM file of the CA that signed the broker's certificate (TLS; default: the JVM's
 *     trust store)
 * @param username user name for the external broker
 * @param password password for the external broker (prefer the environment variable {@code
 *     FUSIONNODE_MQTT__PASSWORD} to the file)
 * @param clientId client id at the external broker
 * @param keepAliveSeconds MQTT keep-alive
 * @param topicPrefix prefix of every topic, default {@code fusion/<vehicleId>}
 * @param qos quality of service per topic kind
 * @param bufferMessages outbound messages held while the broker is away or slow; beyond, the oldest
 *     frame's messages are dropped and counted
 * @param reconnectMinMs first reconnect delay; doubles up to {@code reconnectMaxMs}
 * @param reconnectMaxMs longest reconnect delay
 * @param statusIntervalMs period of the retained status message
 * @param embedded the embedded broker's listener
 */
public record MqttOptions(
        boolean enabled,
        Optional<String> host,
        int port,
        boolean tls,
        Optional<Path> caFile,
        Optional<String> username,
        Optional<String> password,
        String clientId,
        int keepAliveSeconds,
        String topicPrefix,
        Qos qos,
        int bufferMessages,
        long reconnectMinMs,
        long reconnectMaxMs,
        long statusIntervalMs,
        Embedded embedded) {

    /**
     * Quality of service per topic kind (0, 1 or 2).
     *
     * @param mask {@code <prefix>/<camera>/mask}
     * @param overlay {@code <prefix>/<camera>/overlay}
     * @param meta {@code <prefix>/<camera>/meta}
     * @param status {@code <prefix>/status}
     */
    public record Qos(int mask, int overlay, int meta, int status) {
        static Qos from(ConfigReader r) {
            Qos q =
                    new Qos(
                            r.integer("mask", 0, 0, 2),
                            r.integer("overlay", 0, 0, 2),
                            r.integer("meta", 0, 0, 2),
                            r.integer("status", 1, 0, 2));
            r.rejectUnknownKeys();
            return q;
        }
    }

    /**
     * The embedded broker (Moquette; MQTT 3.1.1).
     *
     * @param host bind address (loopback unless configured otherwise)
     * @param port TCP port (0 picks a free one)
     * @param maxMessageBytes largest MQTT message it accepts
     * @param maxClients clients connected at once at most; one more is disconnected and counted
     * @param usersFile clients' user names and passwords ({@code user:sha256-hex-of-password} per
     *     line); with it anonymous clients are refused. Required when {@code host} is not loopback
     */
    public record Embedded(
            String host, int port, int maxMessageBytes, int maxClients, Optional<Path> usersFile) {
        static Embedded from(ConfigReader r) {
            String users = r.string("usersFile", null);
            Embedded e =
                    new Embedded(
                            r.string("host", "127.0.0.1"),
                            r.integer("port", 1883, 0, 65535),
                            r.integer("maxMessageBytes", 16 << 20, 1024, 256 << 20),
                            r.integer("maxClients", 100, 1, 100_000),
                            Optional.ofNullable(users).map(Path::of));
            if (!BindAddresses.loopback(e.host()) && e.usersFile().isEmpty()) {
                throw r.invalid(
                        "host",
                        "'"
                                + e.host()
                                + "' is not loopback: anonymous MQTT clients are accepted only on"
                                + " loopback; set mqtt.embedded.usersFile (user:sha256-hex lines)");
            }
            if (e.usersFile().isPresent() && !Files.isReadable(e.usersFile().get())) {
                throw r.invalid("usersFile", "cannot read " + users);
            }
            r.rejectUnknownKeys();
            return e;
        }
    }

    /** True when the node runs its own broker. */
    public boolean embeddedBroker() {
        return host.isEmpty();
    }

    /** Reads the {@code mqtt} block. */
    public static MqttOptions from(ConfigReader r, String vehicleId) {
        String host = r.string("host", "");
        String prefix = r.string("topicPrefix", "fusion/" + vehicleId);
        if (prefix.isEmpty()
                || prefix.contains("+")
                || prefix.contains("#")
                || prefix.endsWith("/")) {
            throw r.invalid(
                    "topicPrefix",
                    "must be a non-empty topic without wildcards or a trailing '/', found '"
                            + prefix
                            + "'");
        }
        String ca = r.string("caFile", "");
        String user = r.string("username", "");
        String password = r.string("password", "");
        long min = r.longValue("reconnectMinMs", 500, 10, 600_000);
        long max = r.longValue("reconnectMaxMs", 10_000, 10, 3_600_000);
        if (max < min) {
            throw r.invalid("reconnectMaxMs", "must be at least reconnectMinMs (" + min + ")");
        }
        MqttOptions o =
                new MqttOptions(
                        r.bool("enabled", true),
                        host.isBlank() ? Optional.empty() : Optional.of(host),
                        r.integer("port", 1883, 1, 65535),
                        r.bool("tls", false),
                        ca.isBlank() ? Optional.empty() : Optional.of(Path.of(ca)),
                        user.isEmpty() ? Optional.empty() : Optional.of(user),
                        password.isEmpty() ? Optional.empty() : Optional.of(password),
                        r.string("clientId", "fusion-node-" + vehicleId),
                        r.integer("keepAliveSeconds", 30, 0, 65535),
                        prefix,
                        Qos.from(r.child("qos")),
                        r.integer("bufferMessages", 48, 1, 100_000),
                        min,
                        max,
                        r.longValue("statusIntervalMs", 5_000, 100, 3_600_000),
                        Embedded.from(r.child("embedded")));
        r.rejectUnknownKeys();
        return o;
    }

    /** Hides the password. */
    @Override
    public String toString() {
        return "MqttOptions[broker="
                + (embeddedBroker()
                        ? "embedded " + embedded.host() + ":" + embedded.port()
                        : host.get() + ":" + port + (tls ? " (tls)" : ""))
                + ", prefix="
                + topicPrefix
                + ", user="
                + username.orElse("-")
                + ", password="
                + (password.isPresent() ? "***" : "-")
                + "]";
    }
}

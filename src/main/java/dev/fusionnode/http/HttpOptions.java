package dev.fusionnode.http;

import dev.fusionnode.config.BindAddresses;
import dev.fusionnode.config.ConfigReader;

/**
 * HTTP listener settings (the API, the viewer and the Foxglove WebSocket at {@code /ws}).
 *
 * @param host bind address; loopback unless configured otherwise
 * @param port TCP port (0 picks a free one)
 * @param wsClientQueueBytes bytes waiting for one WebSocket client before its messages are dropped
 *     (a slow client loses messages and gets a warning; nobody else waits)
 * @param maxWebSocketClients WebSocket clients ({@code /ws} and {@code /ingest}) open at once at
 *     most; another upgrade is answered 503
 */
public record HttpOptions(String host, int port, int wsClientQueueBytes, int maxWebSocketClients) {

    /** Default port. */
    public static final int DEFAULT_PORT = 8080;

    /**
     * Default per-client WebSocket send buffer: room for a few frames at the dataset's size
     * (netty's default 64 KiB high-water mark would drop large masks even for fast clients).
     */
    public static final int DEFAULT_WS_CLIENT_QUEUE_BYTES = 8 * 1024 * 1024;

    /** Reads the {@code http} block. */
    public static HttpOptions from(ConfigReader r) {
        HttpOptions o =
                new HttpOptions(
                        r.string("host", BindAddresses.DEFAULT_HOST),
                        r.integer("port", DEFAULT_PORT, 0, 65535),
                        r.integer(
                                "wsClientQueueBytes",
                                DEFAULT_WS_CLIENT_QUEUE_BYTES,
                                64 * 1024,
                                1 << 30),
                        r.integer("maxWebSocketClients", 32, 1, 10_000));
        r.rejectUnknownKeys();
        return o;
    }
}

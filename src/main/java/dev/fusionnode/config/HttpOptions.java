package dev.fusionnode.config;

/**
 * HTTP listener settings.
 *
 * @param host bind address; loopback unless configured otherwise
 * @param port TCP port (0 picks a free one)
 */
public record HttpOptions(String host, int port) {
    /** Default bind address. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** Default port. */
    public static final int DEFAULT_PORT = 8080;

    /** Reads the {@code http} block. */
    public static HttpOptions from(ConfigReader r) {
        HttpOptions o =
                new HttpOptions(
                        r.string("host", DEFAULT_HOST), r.integer("port", DEFAULT_PORT, 0, 65535));
        r.rejectUnknownKeys();
        return o;
    }
}

package dev.fusionnode.config;

/**
 * An invalid configuration value; the message names the file (or environment variable), the key and
 * the reason.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String key;

    /** Creates the exception for {@code key} in {@code source} (null: the source as a whole). */
    public ConfigException(String source, String key, String reason) {
        super(source + (key == null ? "" : ": key '" + key + "'") + ": " + reason);
        this.source = source;
        this.key = key;
    }

    /** The file or environment variable the value came from. */
    public String source() {
        return source;
    }

    /** The dotted key path; null when the source as a whole is wrong. */
    public String key() {
        return key;
    }
}

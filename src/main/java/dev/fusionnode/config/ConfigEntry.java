package dev.fusionnode.config;

import java.util.Locale;

/**
 * One configuration key as the node read it: its dotted path, the environment variable that
 * overrides it, its effective value and where that value came from.
 *
 * @param key dotted path ({@code http.port}; {@code capture.cameras[0].id} for an array entry)
 * @param envName the overriding environment variable; null for keys inside array entries
 * @param value the effective value (the default when neither the file nor the environment set it)
 * @param source {@code default}, the config file, or {@code environment variable NAME}
 * @param kind a value, a block (object of keys) or a map of free keys (per-sensor offsets)
 */
public record ConfigEntry(String key, String envName, Object value, String source, Kind kind) {
    /** Source of a value nobody set. */
    public static final String DEFAULT = "default";

    /** What a key holds. */
    public enum Kind {
        /** A value (also an array taken whole). */
        VALUE,
        /** An object whose keys are read one by one. */
        BLOCK,
        /** An object of free keys (sensor ids) to numbers. */
        MAP
    }

    /**
     * The key with array indices removed ({@code capture.cameras[].id}), as the reference names it.
     */
    public String referenceKey() {
        return key.replaceAll("\\[\\d+]", "[]");
    }

    /** True for passwords and tokens, which are never printed. */
    public boolean secret() {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith("password") || k.endsWith("token");
    }

    /** The value as printed: secrets masked, absent values as {@code (none)}. */
    public String shown() {
        if (value == null) {
            return "(none)";
        }
        return secret() ? "***" : String.valueOf(value);
    }
}

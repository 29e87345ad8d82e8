package dev.fusionnode.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed, validated access to one JSON object of a config file, with environment overrides.
 *
 * <p><b>Override rule:</b> the variable {@code FUSIONNODE_} + the key path, each segment turned
 * from camelCase into UPPER_SNAKE and segments joined by a double underscore, replaces the file's
 * value: {@code http.port} is {@code FUSIONNODE_HTTP__PORT}, {@code sync.toleranceMs} is {@code
 * FUSIONNODE_SYNC__TOLERANCE_MS}. The value is parsed as JSON when it is valid JSON ({@code 9090},
 * {@code true}, {@code [1,2]}) and taken as a string otherwise. Unknown keys in the file are
 * errors, so typos fail at start.
 */
public final class ConfigReader {
    /** Prefix of override variables. */
    public static final String ENV_PREFIX = "FUSIONNODE_";

    private final JsonObject json;
    private final String file;
    private final String path;
    private final Map<String, String> env;
    private final Set<String> used = new HashSet<>();

    /** Reads {@code json} loaded from {@code file} with the given environment. */
    public ConfigReader(JsonObject json, String file, Map<String, String> env) {
        this(json == null ? new JsonObject() : json, file, "", env);
    }

    private ConfigReader(JsonObject json, String file, String path, Map<String, String> env) {
        this.json = json;
        this.file = file;
        this.path = path;
        this.env = env;
    }

    /** The environment variable that overrides {@code key} of this object. */
    public String envName(String key) {
        StringBuilder sb = new StringBuilder(ENV_PREFIX);
        String full = fullKey(key);
        String[] segments = full.split("\\.");
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                sb.append("__");
            }
            sb.append(snake(segments[i]));
        }
        return sb.toString();
    }

    private static String snake(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                sb.append('_');
            }
            sb.append(c == '-' ? '_' : Character.toUpperCase(c));
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    /** The dotted path of {@code key}. */
    public String fullKey(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private record Raw(Object value, String source) {}

    private Raw raw(String key) {
        used.add(key);
        String var = envName(key);
        String v = env.get(var);
        if (v != null) {
            Object parsed;
            try {
                parsed = Json.decodeValue(v);
            } catch (DecodeException e) {
                parsed = v;
            }
            return new Raw(parsed, "environment variable " + var);
        }
        return new Raw(json.getValue(key), file);
    }

    /** A nested object (empty when absent). */
    public ConfigReader child(String key) {
        Raw r = raw(key);
        if (r.value == null) {
            return new ConfigReader(new JsonObject(), file, fullKey(key), env);
        }
        if (!(r.value instanceof JsonObject o)) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected an object, found " + describe(r.value));
        }
        return new ConfigReader(o, r.source, fullKey(key), env);
    }

    /** True when the key is present in the file or the environment. */
    public boolean has(String key) {
        return json.containsKey(key) || env.containsKey(envName(key));
    }

    /** A string, or {@code def} when absent. */
    public String string(String key, String def) {
        Raw r = raw(key);
        if (r.value == null) {
            return def;
        }
        if (!(r.value instanceof String)
                && !(r.value instanceof Number)
                && !(r.value instanceof Boolean)) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected a string, found " + describe(r.value));
        }
        return String.valueOf(r.value);
    }

    /** An integer within [min, max], or {@code def} when absent. */
    public int integer(String key, int def, int min, int max) {
        return (int) longValue(key, def, min, max);
    }

    /** A long within [min, max], or {@code def} when absent. */
    public long longValue(String key, long def, long min, long max) {
        Raw r = raw(key);
        if (r.value == null) {
            return def;
        }
        if (!(r.value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected an integer, found " + describe(r.value));
        }
        long v = n.longValue();
        if (v < min || v > max) {
            throw outOfRange(r, key, min, max, v);
        }
        return v;
    }

    /** A finite number within [min, max], or {@code def} when absent. */
    public double number(String key, double def, double min, double max) {
        Raw r = raw(key);
        if (r.value == null) {
            return def;
        }
        if (!(r.value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected a finite number, found " + describe(r.value));
        }
        double v = n.doubleValue();
        if (v < min || v > max) {
            throw outOfRange(r, key, min, max, v);
        }
        return v;
    }

    private ConfigException outOfRange(Raw r, String key, Object min, Object max, Object found) {
        return new ConfigException(
                r.source,
                fullKey(key),
                "must be between " + min + " and " + max + ", found " + found);
    }

    /** A boolean, or {@code def} when absent. */
    public boolean bool(String key, boolean def) {
        Raw r = raw(key);
        if (r.value == null) {
            return def;
        }
        if (!(r.value instanceof Boolean b)) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected true or false, found " + describe(r.value));
        }
        return b;
    }

    /**
     * A value parsed by {@code parser}; its IllegalArgumentException becomes a ConfigException for
     * the key.
     */
    public <T> T parsed(String key, T def, Function<String, T> parser) {
        Raw r = raw(key);
        if (r.value == null) {
            return def;
        }
        try {
            return parser.apply(String.valueOf(r.value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(r.source, fullKey(key), e.getMessage());
        }
    }

    /** An object of numbers keyed by name (for example per-sensor offsets); empty when absent. */
    public Map<String, Double> numberMap(String key) {
        ConfigReader c = child(key);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String k : c.json.fieldNames()) {
            out.put(k, c.number(k, 0, -Double.MAX_VALUE, Double.MAX_VALUE));
        }
        return out;
    }

    /** An array (empty when absent). */
    public JsonArray array(String key) {
        Raw r = raw(key);
        if (r.value == null) {
            return new JsonArray();
        }
        if (!(r.value instanceof JsonArray a)) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected an array, found " + describe(r.value));
        }
        return a;
    }

    /**
     * Fails on keys of the file that were never read (typos, misplaced keys).
     *
     * @throws ConfigException naming the first unknown key and the known ones
     */
    public void rejectUnknownKeys() {
        for (String k : json.fieldNames()) {
            if (!used.contains(k)) {
                throw new ConfigException(
                        file, fullKey(k), "unknown key (known here: " + used + ")");
            }
        }
    }

    /** Raises a validation error for {@code key} of this object. */
    public ConfigException invalid(String key, String reason) {
        return new ConfigException(
                env.containsKey(envName(key)) ? "environment variable " + envName(key) : file,
                fullKey(key),
                reason);
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof JsonObject) {
            return "an object";
        }
        if (v instanceof JsonArray) {
            return "an array";
        }
        return String.valueOf(v);
    }
}

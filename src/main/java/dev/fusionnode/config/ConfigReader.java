package dev.fusionnode.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Typed, validated access to one JSON object of a config file, with environment overrides.
 *
 * <p><b>Override rule:</b> the variable {@code FUSIONNODE_} + the key path, each segment turned
 * from camelCase into UPPER_SNAKE and segments joined by a double underscore, replaces the file's
 * value: {@code http.port} is {@code FUSIONNODE_HTTP__PORT}, {@code sync.toleranceMs} is {@code
 * FUSIONNODE_SYNC__TOLERANCE_MS}. The value is parsed as JSON when it is valid JSON ({@code 9090},
 * {@code true}, {@code [1,2]}) and taken as a string otherwise. Unknown keys in the file are
 * errors, so typos fail at start, and so is a {@code FUSIONNODE_} variable that names no key
 * ({@link #rejectUnknownEnvironment}).
 *
 * <p>Every key read is noted with its effective value and source ({@link #entries}): {@code
 * fusion-node config} prints them, and the configuration reference is checked against them.
 */
public final class ConfigReader {
    /** Prefix of override variables. */
    public static final String ENV_PREFIX = "FUSIONNODE_";

    /** Variables with the prefix that are not configuration keys. */
    public static final Set<String> NOT_KEYS = Set.of("FUSIONNODE_LOG_LEVEL");

    private final JsonObject json;
    private final String file;
    private final String path;
    private final Map<String, String> env;
    private final Set<String> used = new HashSet<>();
    private final Map<String, ConfigEntry> entries;

    /** Reads {@code json} loaded from {@code file} with the given environment. */
    public ConfigReader(JsonObject json, String file, Map<String, String> env) {
        this(json == null ? new JsonObject() : json, file, "", env, new LinkedHashMap<>());
    }

    private ConfigReader(
            JsonObject json,
            String file,
            String path,
            Map<String, String> env,
            Map<String, ConfigEntry> entries) {
        this.json = json;
        this.file = file;
        this.path = path;
        this.env = env;
        this.entries = entries;
    }

    /**
     * Entry {@code index} of the array {@code key}: an object read like a block, but not
     * overridable key by key from the environment.
     */
    public ConfigReader element(String key, int index, JsonObject entry) {
        String p = fullKey(key) + "[" + index + "]";
        return new ConfigReader(entry, file, p, Map.of(), entries);
    }

    /** Every key read so far through this reader and its children, in reading order. */
    public List<ConfigEntry> entries() {
        return List.copyOf(entries.values());
    }

    /**
     * The environment variable that overrides {@code key} of this object; null inside array
     * entries.
     */
    public String envName(String key) {
        String full = fullKey(key);
        return full.contains("[") ? null : envNameOf(full);
    }

    /** The environment variable of a dotted key path. */
    public static String envNameOf(String full) {
        StringBuilder sb = new StringBuilder(ENV_PREFIX);
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
        String v = var == null ? null : env.get(var);
        if (v != null) {
            return new Raw(decode(v), "environment variable " + var);
        }
        return new Raw(json.getValue(key), file);
    }

    private <T> T noted(String key, T value, Raw r) {
        return noted(key, value, r, ConfigEntry.Kind.VALUE);
    }

    private <T> T noted(String key, T value, Raw r, ConfigEntry.Kind kind) {
        Object shown = value instanceof Enum<?> e ? EnumNames.name(e) : value;
        String source = r.value == null ? ConfigEntry.DEFAULT : r.source;
        entries.put(fullKey(key), new ConfigEntry(fullKey(key), envName(key), shown, source, kind));
        return value;
    }

    /** A nested object (empty when absent). */
    public ConfigReader child(String key) {
        Raw r = raw(key);
        noted(key, null, r, ConfigEntry.Kind.BLOCK);
        if (r.value == null) {
            return new ConfigReader(new JsonObject(), file, fullKey(key), env, entries);
        }
        if (!(r.value instanceof JsonObject o)) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected an object, found " + describe(r.value));
        }
        return new ConfigReader(o, r.source, fullKey(key), env, entries);
    }

    /** True when the key is present in the file or the environment. */
    public boolean has(String key) {
        String var = envName(key);
        return json.containsKey(key) || (var != null && env.containsKey(var));
    }

    /** A boolean, or empty when absent. */
    public Optional<Boolean> optionalBool(String key) {
        Raw r = raw(key);
        if (r.value == null) {
            noted(key, null, r);
            return Optional.empty();
        }
        return Optional.of(bool(key, false));
    }

    /** A string, or {@code def} when absent. */
    public String string(String key, String def) {
        Raw r = raw(key);
        if (r.value == null) {
            return noted(key, def, r);
        }
        if (!(r.value instanceof String)
                && !(r.value instanceof Number)
                && !(r.value instanceof Boolean)) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected a string, found " + describe(r.value));
        }
        return noted(key, String.valueOf(r.value), r);
    }

    /** An integer within [min, max], or {@code def} when absent. */
    public int integer(String key, int def, int min, int max) {
        return (int) longValue(key, def, min, max);
    }

    /** A long within [min, max], or {@code def} when absent. */
    public long longValue(String key, long def, long min, long max) {
        Raw r = raw(key);
        if (r.value == null) {
            return noted(key, def, r);
        }
        if (!(r.value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected an integer, found " + describe(r.value));
        }
        long v = n.longValue();
        if (v < min || v > max) {
            throw outOfRange(r, key, min, max, v);
        }
        return noted(key, v, r);
    }

    /** A finite number within [min, max], or {@code def} when absent. */
    public double number(String key, double def, double min, double max) {
        Raw r = raw(key);
        if (r.value == null) {
            return noted(key, def, r);
        }
        return noted(key, finite(r.value, r.source, fullKey(key), min, max), r);
    }

    private static double finite(Object value, String source, String key, double min, double max) {
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new ConfigException(
                    source, key, "expected a finite number, found " + describe(value));
        }
        double v = n.doubleValue();
        if (v < min || v > max) {
            throw new ConfigException(
                    source, key, "must be between " + min + " and " + max + ", found " + v);
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
            return noted(key, def, r);
        }
        if (!(r.value instanceof Boolean b)) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected true or false, found " + describe(r.value));
        }
        return noted(key, b, r);
    }

    /**
     * A value parsed by {@code parser}; its IllegalArgumentException becomes a ConfigException for
     * the key.
     */
    public <T> T parsed(String key, T def, Function<String, T> parser) {
        Raw r = raw(key);
        if (r.value == null) {
            return noted(key, def, r);
        }
        try {
            T v = parser.apply(String.valueOf(r.value));
            noted(key, String.valueOf(r.value), r);
            return v;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(r.source, fullKey(key), e.getMessage());
        }
    }

    /**
     * An object of numbers keyed by name (for example per-sensor offsets); empty when absent. One
     * entry is overridden or added by {@code <the key's variable>__<NAME>}: the file's name whose
     * UPPER_SNAKE form is NAME, else NAME in lower case.
     */
    public Map<String, Double> numberMap(String key) {
        Raw r = raw(key);
        if (r.value != null && !(r.value instanceof JsonObject)) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected an object, found " + describe(r.value));
        }
        JsonObject o = r.value == null ? new JsonObject() : (JsonObject) r.value;
        Map<String, Double> out = new LinkedHashMap<>();
        for (String k : o.fieldNames()) {
            out.put(k, finite(o.getValue(k), r.source, fullKey(key) + "." + k, -1e300, 1e300));
        }
        String prefix = envName(key) + "__";
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String name = e.getKey().substring(prefix.length());
            String k =
                    o.fieldNames().stream()
                            .filter(f -> snake(f).equals(name))
                            .findFirst()
                            .orElse(name.toLowerCase(Locale.ROOT));
            String source = "environment variable " + e.getKey();
            out.put(k, finite(decode(e.getValue()), source, fullKey(key) + "." + k, -1e300, 1e300));
        }
        noted(key, out, r, ConfigEntry.Kind.MAP);
        return out;
    }

    /**
     * An object of strings keyed by name (for example topic to sensor id); empty when absent. Its
     * keys are free text (such as topic names), so the environment does not override entries.
     */
    public Map<String, String> stringMap(String key) {
        Raw r = raw(key);
        if (r.value != null && !(r.value instanceof JsonObject)) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected an object, found " + describe(r.value));
        }
        JsonObject o = r.value == null ? new JsonObject() : (JsonObject) r.value;
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : o.fieldNames()) {
            if (!(o.getValue(k) instanceof String v) || v.isEmpty()) {
                throw new ConfigException(
                        r.source,
                        fullKey(key) + "." + k,
                        "expected a non-empty string, found " + describe(o.getValue(k)));
            }
            out.put(k, v);
        }
        noted(key, out, r, ConfigEntry.Kind.MAP);
        return out;
    }

    private static Object decode(String text) {
        try {
            return Json.decodeValue(text);
        } catch (DecodeException e) {
            return text;
        }
    }

    /** An array (empty when absent). */
    public JsonArray array(String key) {
        Raw r = raw(key);
        if (r.value == null) {
            return noted(key, new JsonArray(), r);
        }
        if (!(r.value instanceof JsonArray a)) {
            throw new ConfigException(
                    r.source, fullKey(key), "expected an array, found " + describe(r.value));
        }
        return noted(key, a, r);
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

    /**
     * Fails on a {@code FUSIONNODE_} environment variable that overrides no key read so far (call
     * it on the root reader once everything is read): a misspelt override would otherwise be
     * silently ignored.
     *
     * @throws ConfigException naming the variable and the nearest key
     */
    public void rejectUnknownEnvironment() {
        Map<String, String> known = new LinkedHashMap<>();
        List<String> mapPrefixes = new ArrayList<>();
        for (ConfigEntry e : entries.values()) {
            if (e.envName() != null) {
                known.put(e.envName(), e.key());
                if (e.kind() == ConfigEntry.Kind.MAP) {
                    mapPrefixes.add(e.envName() + "__");
                }
            }
        }
        for (String var : new TreeSet<>(env.keySet())) {
            if (!var.startsWith(ENV_PREFIX)
                    || NOT_KEYS.contains(var)
                    || known.containsKey(var)
                    || mapPrefixes.stream().anyMatch(var::startsWith)) {
                continue;
            }
            String nearest =
                    known.keySet().stream()
                            .min(Comparator.comparingInt((String k) -> editDistance(k, var)))
                            .orElse(ENV_PREFIX);
            throw new ConfigException(
                    "environment variable " + var,
                    null,
                    "names no configuration key; did you mean "
                            + nearest
                            + " ("
                            + known.get(nearest)
                            + ")? Every key and its variable: docs/configuration.md");
        }
    }

    /** Levenshtein distance: the fewest one-character edits that turn {@code a} into {@code b}. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(subst, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Raises a validation error for {@code key} of this object. */
    public ConfigException invalid(String key, String reason) {
        String var = envName(key);
        return new ConfigException(
                var != null && env.containsKey(var) ? "environment variable " + var : file,
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

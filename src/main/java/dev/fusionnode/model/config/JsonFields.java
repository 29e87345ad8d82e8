package dev.fusionnode.model.config;

import dev.fusionnode.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Typed access to one JSON object of a paper config; every failure is a {@link ConfigException}
 * naming the file and the JSON path ({@code Dataset.train_classes[2].index}). Unknown keys are left
 * alone.
 */
final class JsonFields {
    private final JsonObject json;
    private final String source;
    private final String path;

    JsonFields(JsonObject json, String source, String path) {
        this.json = json;
        this.source = source;
        this.path = path;
    }

    /** The JSON path of {@code key} in this object. */
    String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The JSON path of this object. */
    String path() {
        return path;
    }

    /** A validation error for {@code key} of this object. */
    ConfigException invalid(String key, String reason) {
        return new ConfigException(source, key(key), reason);
    }

    /** A validation error for this object as a whole. */
    ConfigException invalid(String reason) {
        return new ConfigException(source, path, reason);
    }

    boolean has(String key) {
        return json.getValue(key) != null;
    }

    private Object required(String key) {
        Object v = json.getValue(key);
        if (v == null) {
            throw invalid(key, "required key is missing");
        }
        return v;
    }

    JsonFields object(String key) {
        Object v = required(key);
        if (!(v instanceof JsonObject o)) {
            throw invalid(key, "must be an object, found " + describe(v));
        }
        return new JsonFields(o, source, key(key));
    }

    Optional<JsonFields> optObject(String key) {
        return has(key) ? Optional.of(object(key)) : Optional.empty();
    }

    String string(String key) {
        Object v = required(key);
        if (!(v instanceof String s)) {
            throw invalid(key, "must be a string, found " + describe(v));
        }
        return s;
    }

    String optString(String key, String def) {
        return has(key) ? string(key) : def;
    }

    boolean bool(String key) {
        Object v = required(key);
        if (!(v instanceof Boolean b)) {
            throw invalid(key, "must be true or false, found " + describe(v));
        }
        return b;
    }

    boolean optBool(String key, boolean def) {
        return has(key) ? bool(key) : def;
    }

    int integer(String key, int min, int max) {
        Object v = required(key);
        if (!isInteger(v)) {
            throw invalid(key, "must be an integer, found " + describe(v));
        }
        long n = ((Number) v).longValue();
        if (n < min || n > max) {
            throw invalid(key, "must be between " + min + " and " + max + ", found " + n);
        }
        return (int) n;
    }

    int optInteger(String key, int def, int min, int max) {
        return has(key) ? integer(key, min, max) : def;
    }

    double number(String key, double min, double max) {
        Object v = required(key);
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw invalid(key, "must be a number, found " + describe(v));
        }
        double d = n.doubleValue();
        if (d < min || d > max) {
            throw invalid(key, "must be between " + min + " and " + max + ", found " + d);
        }
        return d;
    }

    /** A list of integers in [min, max]; {@code size} &lt; 0 accepts any non-empty length. */
    List<Integer> integers(String key, int size, int min, int max) {
        Object v = required(key);
        String what = "must be a list of " + (size < 0 ? "" : size + " ") + "integers";
        if (!(v instanceof JsonArray a) || a.isEmpty() || (size >= 0 && a.size() != size)) {
            throw invalid(key, what + ", found " + describe(v));
        }
        List<Integer> out = new ArrayList<>(a.size());
        for (Object e : a) {
            if (!isInteger(e)) {
                throw invalid(key, what + ", found " + describe(v));
            }
            long n = ((Number) e).longValue();
            if (n < min || n > max) {
                throw invalid(
                        key, "entries must be between " + min + " and " + max + ", found " + n);
            }
            out.add((int) n);
        }
        return List.copyOf(out);
    }

    /** A list of finite numbers; {@code size} &lt; 0 accepts any non-empty length. */
    List<Double> numbers(String key, int size) {
        Object v = required(key);
        String what = "must be a list of " + (size < 0 ? "" : size + " ") + "numbers";
        if (!(v instanceof JsonArray a) || a.isEmpty() || (size >= 0 && a.size() != size)) {
            throw invalid(key, what + ", found " + describe(v));
        }
        List<Double> out = new ArrayList<>(a.size());
        for (Object e : a) {
            if (!(e instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw invalid(key, what + ", found " + describe(v));
            }
            out.add(n.doubleValue());
        }
        return List.copyOf(out);
    }

    /** A list of strings (may be empty). */
    List<String> strings(String key) {
        Object v = required(key);
        if (!(v instanceof JsonArray a) || !a.stream().allMatch(e -> e instanceof String)) {
            throw invalid(key, "must be a list of strings, found " + describe(v));
        }
        return a.stream().map(String.class::cast).toList();
    }

    /** A non-empty list of objects, each with its indexed path ({@code key[i]}). */
    List<JsonFields> objects(String key) {
        Object v = required(key);
        if (!(v instanceof JsonArray a) || a.isEmpty()) {
            throw invalid(key, "must be a non-empty list of objects, found " + describe(v));
        }
        List<JsonFields> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            if (!(a.getValue(i) instanceof JsonObject o)) {
                throw invalid(
                        key + "[" + i + "]", "must be an object, found " + describe(a.getValue(i)));
            }
            out.add(new JsonFields(o, source, key(key) + "[" + i + "]"));
        }
        return out;
    }

    /** The names of this object's keys. */
    Set<String> fieldNames() {
        return json.fieldNames();
    }

    /** The raw value of {@code key}, or null. */
    Object raw(String key) {
        return json.getValue(key);
    }

    private static boolean isInteger(Object v) {
        return v instanceof Number n
                && Double.isFinite(n.doubleValue())
                && n.doubleValue() == Math.rint(n.doubleValue());
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof JsonObject) {
            return "an object";
        }
        if (v instanceof JsonArray a) {
            String s = a.encode();
            return s.length() > 60 ? s.substring(0, 57) + "..." : s;
        }
        return String.valueOf(v);
    }
}

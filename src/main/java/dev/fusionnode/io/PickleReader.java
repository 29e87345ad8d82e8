package dev.fusionnode.io;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.Unpickler;

/**
 * Loads Python pickles (protocols 2 to 5) with {@code net.razorvine.pickle}; numpy arrays come back
 * as {@link NumpyArray}. Only data classes are constructed: there is no pickle VM of our own and no
 * code runs.
 */
public final class PickleReader {
    private PickleReader() {}

    /**
     * Loads a pickle file.
     *
     * @throws BadInputException with {@link BadInputReason#MALFORMED_PICKLE} when it does not
     *     unpickle
     */
    public static Object load(Path file) {
        return load(Files2.readAll(file), file.toString());
    }

    /** Loads pickle bytes; {@code source} names them in errors. */
    public static Object load(byte[] bytes, String source) {
        NumpyPickle.register();
        Unpickler unpickler = new Unpickler();
        try {
            return normalize(unpickler.loads(bytes));
        } catch (BadInputException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_PICKLE,
                    source,
                    "not a readable pickle: " + e.getMessage(),
                    e);
        } finally {
            unpickler.close();
        }
    }

    /** Replaces array builders by their arrays, recursively through dicts, lists and tuples. */
    private static Object normalize(Object o) {
        if (o instanceof NumpyPickle.ArrayBuilder b) {
            return b.array();
        }
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(e.getKey(), normalize(e.getValue()));
            }
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(PickleReader::normalize).toList();
        }
        if (o instanceof Object[] a) {
            Object[] out = new Object[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = normalize(a[i]);
            }
            return out;
        }
        return o;
    }

    /** Describes a loaded pickle for {@code inspect}: keys with array shapes and dtypes. */
    public static Map<String, String> describe(Object root) {
        Map<String, String> out = new LinkedHashMap<>();
        if (root instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), describeValue(e.getValue()));
            }
        } else {
            out.put("<root>", describeValue(root));
        }
        return out;
    }

    private static String describeValue(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof NumpyArray a) {
            return a.toString();
        }
        if (v instanceof Map<?, ?> m) {
            return "dict(" + m.size() + " keys)";
        }
        if (v instanceof List<?> l) {
            return "list(" + l.size() + ")";
        }
        return v.getClass().getSimpleName() + "(" + v + ")";
    }
}

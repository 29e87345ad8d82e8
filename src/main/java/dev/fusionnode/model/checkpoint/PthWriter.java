package dev.fusionnode.model.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes checkpoints that {@code torch.load} reads: the zip format of {@code torch.save} with a
 * protocol-2 {@code data.pkl}, one 64-byte-aligned storage per tensor, {@code byteorder} and {@code
 * version}. The file is written next to the target and moved into place when complete.
 *
 * <p>Tree values: {@link TorchTensor}; maps ({@link LinkedHashMap} becomes {@code
 * collections.OrderedDict}, any other map a plain dict, both in iteration order); lists; {@code
 * Object[]} (tuples); integers, doubles, booleans, strings and null.
 */
public final class PthWriter {
    /** The archive folder name inside the zip. */
    static final String ARCHIVE = "archive/";

    private static final int MAX_DEPTH = 64;

    private PthWriter() {}

    /**
     * Saves an object tree.
     *
     * @throws IllegalArgumentException naming the path of a value that cannot be saved
     * @throws UncheckedIOException when the file cannot be written
     * @throws NullPointerException if {@code file} is null
     */
    public static void save(Path file, Object tree) {
        Objects.requireNonNull(file, "file");
        check(tree, "<root>", 0);
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try {
            TorchPickler pickler = new TorchPickler();
            byte[] pickle = pickler.pickle(tree);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                    AlignedZipWriter zip = new AlignedZipWriter(out)) {
                zip.write(ARCHIVE + "data.pkl", ByteBuffer.wrap(pickle));
                zip.write(ARCHIVE + "byteorder", ascii("little"));
                List<TorchTensor> storages = pickler.storages();
                for (int i = 0; i < storages.size(); i++) {
                    zip.write(ARCHIVE + "data/" + i, storages.get(i).data());
                }
                zip.write(ARCHIVE + "version", ascii("3\n"));
            }
            move(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the .part file is left behind; the target is untouched
            }
        }
    }

    /**
     * Saves the trainer format {@code {epoch, model_state_dict, optimizer_state_dict}} (clft-spec
     * §4.4): a plain dict whose state dict is an OrderedDict in the given order.
     *
     * @param optimizerState e.g. a loaded checkpoint's, or {@link #freshAdamState}
     */
    public static void saveTrainer(
            Path file, int epoch, Map<String, TorchTensor> stateDict, Map<?, ?> optimizerState) {
        saveTrainer(file, epoch, stateDict, optimizerState, List.of());
    }

    /**
     * As {@link #saveTrainer(Path, int, Map, Map)}, with the class names under {@link
     * Checkpoint#CLASSES} when {@code classes} is not empty (PyTorch readers ignore the extra key).
     */
    public static void saveTrainer(
            Path file,
            int epoch,
            Map<String, TorchTensor> stateDict,
            Map<?, ?> optimizerState,
            List<String> classes) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put(Checkpoint.EPOCH, epoch);
        top.put(Checkpoint.MODEL_STATE_DICT, new LinkedHashMap<>(stateDict));
        top.put(Checkpoint.OPTIMIZER_STATE_DICT, Objects.requireNonNull(optimizerState));
        if (!classes.isEmpty()) {
            top.put(Checkpoint.CLASSES, new ArrayList<>(classes));
        }
        save(file, Collections.unmodifiableMap(top));
    }

    /**
     * What {@code torch.optim.Adam(params, lr).state_dict()} gives before any step: {@code
     * {'state': {}, 'param_groups': [{lr, betas (0.9, 0.999), eps 1e-8, weight_decay 0, ..., params
     * [0..n-1]}]}}, as plain dicts; Adam's {@code load_state_dict} accepts it for a model with
     * {@code parameterCount} parameters.
     */
    public static Map<String, Object> freshAdamState(int parameterCount, double lr) {
        List<Integer> params = new ArrayList<>();
        for (int i = 0; i < parameterCount; i++) {
            params.add(i);
        }
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", lr);
        group.put("betas", new Object[] {0.9, 0.999});
        group.put("eps", 1e-8);
        group.put("weight_decay", 0);
        group.put("amsgrad", false);
        group.put("maximize", false);
        group.put("foreach", null);
        group.put("capturable", false);
        group.put("differentiable", false);
        group.put("fused", false);
        group.put("params", params);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("state", Collections.unmodifiableMap(new LinkedHashMap<>()));
        state.put("param_groups", List.of(Collections.unmodifiableMap(group)));
        return Collections.unmodifiableMap(state);
    }

    private static void check(Object o, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("tree deeper than " + MAX_DEPTH + " at " + path);
        }
        if (o == null
                || o instanceof TorchTensor
                || o instanceof String
                || o instanceof Boolean
                || o instanceof Integer
                || o instanceof Long
                || o instanceof Short
                || o instanceof Byte
                || o instanceof BigInteger
                || o instanceof Double
                || o instanceof Float) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object k = e.getKey();
                if (!(k instanceof String || k instanceof Integer || k instanceof Long)) {
                    throw new IllegalArgumentException(
                            "cannot save a " + typeOf(k) + " as a dict key at " + path);
                }
                check(e.getValue(), path + "/" + k, depth + 1);
            }
        } else if (o instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                check(l.get(i), path + "/" + i, depth + 1);
            }
        } else if (o instanceof Object[] a) {
            for (int i = 0; i < a.length; i++) {
                check(a[i], path + "/" + i, depth + 1);
            }
        } else {
            throw new IllegalArgumentException(
                    "cannot save a " + typeOf(o) + " at " + path + " in a checkpoint");
        }
    }

    private static String typeOf(Object o) {
        return o == null ? "None" : o.getClass().getName();
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(
                    from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

package dev.fusionnode.model.checkpoint;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A loaded checkpoint and what it is: a bare state dict, a trainer checkpoint {@code {epoch,
 * model_state_dict, optimizer_state_dict}} (clft-spec §4.4), or the ensemble file {@code
 * {ensemble_models: {name: trainer checkpoint}, merged_from, merge_method, description}} (clft-spec
 * §3.10).
 */
public final class Checkpoint {
    /** Trainer key of the model weights. */
    public static final String MODEL_STATE_DICT = "model_state_dict";

    /** Trainer key of the optimizer state. */
    public static final String OPTIMIZER_STATE_DICT = "optimizer_state_dict";

    /** Trainer key of the epoch. */
    public static final String EPOCH = "epoch";

    /** Ensemble key of the member checkpoints. */
    public static final String ENSEMBLE_MODELS = "ensemble_models";

    /**
     * Key of the class names this project writes next to the trainer's entries (a list of str,
     * {@code train_classes} order), so that a transfer can map the head's classes by name.
     */
    public static final String CLASSES = "classes";

    /** What a checkpoint holds. */
    public enum Kind {
        /** A dict of name to tensor. */
        STATE_DICT,
        /** A dict with {@code model_state_dict}, usually {@code epoch} and optimizer state. */
        TRAINER,
        /** A dict with {@code ensemble_models}: name to trainer checkpoint. */
        ENSEMBLE,
        /** Anything else. */
        OTHER
    }

    private final Object root;
    private final String source;

    private Checkpoint(Object root, String source) {
        this.root = root;
        this.source = source;
    }

    /**
     * Loads a {@code .pth} file with {@link PthReader}.
     *
     * @throws BadInputException when the file is not a readable checkpoint
     */
    public static Checkpoint load(Path file) {
        return new Checkpoint(PthReader.load(file), file.toString());
    }

    /** Views an already loaded object tree; {@code source} names it in errors. */
    public static Checkpoint of(Object root, String source) {
        return new Checkpoint(root, source);
    }

    /** The whole object tree as loaded. */
    public Object root() {
        return root;
    }

    /** The file (or tree) this came from. */
    public String source() {
        return source;
    }

    /** What the checkpoint holds. */
    public Kind kind() {
        if (!(root instanceof Map<?, ?> m)) {
            return Kind.OTHER;
        }
        if (m.get(ENSEMBLE_MODELS) instanceof Map<?, ?>) {
            return Kind.ENSEMBLE;
        }
        if (m.get(MODEL_STATE_DICT) instanceof Map<?, ?>) {
            return Kind.TRAINER;
        }
        boolean tensors =
                m.entrySet().stream()
                        .allMatch(
                                e ->
                                        e.getKey() instanceof String
                                                && e.getValue() instanceof TorchTensor);
        return tensors ? Kind.STATE_DICT : Kind.OTHER;
    }

    /**
     * The model weights, in file order: the root of a bare state dict or the trainer's {@code
     * model_state_dict}.
     *
     * @throws BadInputException with {@link BadInputReason#MALFORMED_CHECKPOINT} for an ensemble, a
     *     tree without a state dict, or a non-tensor entry
     */
    public Map<String, TorchTensor> stateDict() {
        Map<?, ?> dict =
                switch (kind()) {
                    case STATE_DICT -> (Map<?, ?>) root;
                    case TRAINER -> (Map<?, ?>) ((Map<?, ?>) root).get(MODEL_STATE_DICT);
                    case ENSEMBLE ->
                            throw bad(
                                    "an ensemble of "
                                            + ensembleMembers().keySet()
                                            + "; take a member's state dict from ensembleMembers()");
                    case OTHER -> throw bad("no state dict in " + describe(root));
                };
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof TorchTensor t)) {
                throw bad(
                        "state dict entry '"
                                + e.getKey()
                                + "' is a "
                                + TorchUnpickler.typeName(e.getValue())
                                + ", not a tensor");
            }
            out.put(key, t);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The trainer's {@code epoch}, when present. */
    public OptionalInt epoch() {
        return root instanceof Map<?, ?> m && m.get(EPOCH) instanceof Number n
                ? OptionalInt.of(n.intValue())
                : OptionalInt.empty();
    }

    /** The class names written with the weights ({@link #CLASSES}), when present. */
    public Optional<List<String>> classNames() {
        if (root instanceof Map<?, ?> m && m.get(CLASSES) instanceof List<?> l) {
            return Optional.of(l.stream().map(String::valueOf).toList());
        }
        return Optional.empty();
    }

    /** The trainer's {@code optimizer_state_dict} ({@code {state, param_groups}}), when present. */
    public Optional<Map<?, ?>> optimizerState() {
        return root instanceof Map<?, ?> m && m.get(OPTIMIZER_STATE_DICT) instanceof Map<?, ?> o
                ? Optional.of(o)
                : Optional.empty();
    }

    /** The members of an ensemble file by name ({@code vehicle}, ...); empty for other kinds. */
    public Map<String, Checkpoint> ensembleMembers() {
        Map<String, Checkpoint> out = new LinkedHashMap<>();
        if (kind() == Kind.ENSEMBLE) {
            Map<?, ?> models = (Map<?, ?>) ((Map<?, ?>) root).get(ENSEMBLE_MODELS);
            for (Map.Entry<?, ?> e : models.entrySet()) {
                String name = String.valueOf(e.getKey());
                out.put(name, new Checkpoint(e.getValue(), source + "#" + name));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static String describe(Object o) {
        return o instanceof Map<?, ?> m
                ? "a dict with keys " + m.keySet()
                : "a " + TorchUnpickler.typeName(o);
    }

    private BadInputException bad(String problem) {
        return new BadInputException(BadInputReason.MALFORMED_CHECKPOINT, source, problem);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "Checkpoint[" + kind() + ", " + source + "]";
    }
}

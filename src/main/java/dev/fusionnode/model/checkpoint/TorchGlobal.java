package dev.fusionnode.model.checkpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python functions and classes a checkpoint's pickle may call, each re-implemented here as data
 * (nothing is looked up by name): the allowlist of {@link TorchUnpickler}.
 */
enum TorchGlobal {
    /** {@code collections.OrderedDict()}: an empty ordered map (items follow via SETITEMS). */
    ORDERED_DICT("collections", "OrderedDict"),
    /** {@code (storage, offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
    /** {@code (data, requires_grad, backward_hooks)}: a Parameter is its data here. */
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter"),
    /** {@code (data, requires_grad, backward_hooks, state)}. */
    REBUILD_PARAMETER_WITH_STATE("torch._utils", "_rebuild_parameter_with_state");

    private final String module;
    private final String name;

    TorchGlobal(String module, String name) {
        this.module = module;
        this.name = name;
    }

    /** The allowed global with this module and name, or null. */
    static TorchGlobal find(String module, String name) {
        for (TorchGlobal g : values()) {
            if (g.module.equals(module) && g.name.equals(name)) {
                return g;
            }
        }
        return null;
    }

    /** {@code module.name}. */
    String pythonName() {
        return module + "." + name;
    }

    /**
     * Applies the function to pickled arguments.
     *
     * @throws IllegalArgumentException or ClassCastException for arguments of the wrong form
     */
    Object call(Object[] args) {
        return switch (this) {
            case ORDERED_DICT -> orderedDict(args);
            case REBUILD_TENSOR_V2 -> rebuildTensor(args);
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                if (!(args[0] instanceof TorchTensor t)) {
                    throw new IllegalArgumentException("parameter data is a " + args[0]);
                }
                yield t;
            }
        };
    }

    private static Object orderedDict(Object[] args) {
        Map<Object, Object> map = new LinkedHashMap<>();
        if (args.length == 1 && args[0] instanceof List<?> pairs) {
            for (Object p : pairs) {
                Object[] kv = (Object[]) p;
                map.put(kv[0], kv[1]);
            }
        } else if (args.length != 0) {
            throw new IllegalArgumentException(args.length + " arguments");
        }
        return map;
    }

    private static TorchTensor rebuildTensor(Object[] args) {
        if (args.length != 6 && args.length != 7) {
            throw new IllegalArgumentException(args.length + " arguments instead of 6 or 7");
        }
        if (!(args[0] instanceof Storage storage)) {
            throw new IllegalArgumentException("first argument is not a storage");
        }
        if (args[5] instanceof Map<?, ?> hooks && !hooks.isEmpty()) {
            throw new IllegalArgumentException("tensor with backward hooks");
        }
        return storage.view(
                ((Number) args[1]).longValue(),
                longs((Object[]) args[2]),
                longs((Object[]) args[3]));
    }

    private static long[] longs(Object[] tuple) {
        long[] out = new long[tuple.length];
        for (int i = 0; i < tuple.length; i++) {
            out[i] = ((Number) tuple[i]).longValue();
        }
        return out;
    }
}

package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.fusionnode.model.checkpoint.TorchTensor;
import dev.fusionnode.model.checkpoint.TorchTensors;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies PyTorch {@code state_dict}s into initialised blocks and back, by the names of {@link
 * StateDictNames}, with PyTorch's strict rule: the same keys, the same shapes.
 */
public final class StateDicts {
    private static final int LISTED = 8;

    private StateDicts() {}

    /**
     * Copies {@code stateDict} (keys under {@code prefix}, e.g. {@code ""} or {@code "attn."}) into
     * the parameters of an initialised {@code block}; floating-point tensors of any precision are
     * converted to float32.
     *
     * @throws BadInputException {@link BadInputReason#MALFORMED_CHECKPOINT}, naming missing and
     *     unexpected keys and shape mismatches (up to 8 of each)
     */
    public static void load(
            Block block, Map<String, TorchTensor> stateDict, String prefix, String source) {
        Map<String, Parameter> params = StateDictNames.of(block);
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (var e : params.entrySet()) {
            TorchTensor t = stateDict.get(prefix + e.getKey());
            if (t == null) {
                missing.add(prefix + e.getKey());
                continue;
            }
            Shape want = e.getValue().getShape();
            if (!Arrays.equals(want.getShape(), t.shape()) || !t.dtype().isFloatingPoint()) {
                mismatched.add(
                        prefix
                                + e.getKey()
                                + ": checkpoint "
                                + t.dtype()
                                + Arrays.toString(t.shape())
                                + ", model float32"
                                + Arrays.toString(want.getShape()));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : stateDict.keySet()) {
            if (k.startsWith(prefix) && !params.containsKey(k.substring(prefix.length()))) {
                unexpected.add(k);
            }
        }
        if (!missing.isEmpty() || !mismatched.isEmpty() || !unexpected.isEmpty()) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_CHECKPOINT,
                    source,
                    "does not fit the model ("
                            + params.size()
                            + " parameters): "
                            + describe("missing", missing)
                            + describe("unexpected", unexpected)
                            + describe("wrong shape or type", mismatched)
                            + "; is the config's model_timm, resample_dim or class count the one"
                            + " it was trained with?");
        }
        for (var e : params.entrySet()) {
            NDArray target = e.getValue().getArray();
            TorchTensor t = stateDict.get(prefix + e.getKey());
            if (target.getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException("model parameters must be float32 to load");
            }
            target.set(FloatBuffer.wrap(t.toFloats()));
        }
    }

    /** The parameters of {@code block} as a state dict in PyTorch order (float32 copies). */
    public static Map<String, TorchTensor> of(Block block) {
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        for (var e : StateDictNames.of(block).entrySet()) {
            out.put(e.getKey(), TorchTensors.fromNDArray(e.getValue().getArray()));
        }
        return out;
    }

    private static String describe(String what, List<String> keys) {
        if (keys.isEmpty()) {
            return "";
        }
        List<String> shown = keys.subList(0, Math.min(LISTED, keys.size()));
        return keys.size() + " " + what + " " + shown + (keys.size() > LISTED ? " ..." : "") + " ";
    }
}

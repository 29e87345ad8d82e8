package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.fusionnode.model.nn.Ops;

/**
 * One CLFT sample in, one mask out; DJL's {@link Batchifier#STACK} stacks samples into (B, 3, S, S)
 * batches and splits the (B, C, S, S) logits back. The mask is the argmax over classes, the
 * confidence the top softmax probability (8 bits).
 */
public final class ClftTranslator implements Translator<ClftSample, SegmentationOutput> {
    private final boolean keepLogits;
    private final DataType dataType;

    /**
     * @param keepLogits also return the logits (for {@code predict --logits})
     * @param dataType the model's float type (FLOAT32, or FLOAT16 on a GPU)
     */
    public ClftTranslator(boolean keepLogits, DataType dataType) {
        this.keepLogits = keepLogits;
        this.dataType = dataType;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, ClftSample s) {
        NDManager m = ctx.getNDManager();
        Shape shape = new Shape(3, s.size(), s.size());
        NDArray rgb = m.create(s.rgb(), shape);
        NDArray lidar = s.lidar() == null ? rgb : m.create(s.lidar(), shape);
        if (dataType != DataType.FLOAT32) {
            rgb = rgb.toType(dataType, false);
            lidar = lidar.toType(dataType, false);
        }
        return new NDList(rgb, lidar);
    }

    @Override
    public SegmentationOutput processOutput(TranslatorContext ctx, NDList list) {
        NDArray logits = list.singletonOrThrow();
        Shape s = logits.getShape();
        byte[] mask = logits.argMax(0).toType(DataType.UINT8, false).toByteArray();
        NDArray f32 = logits.toType(DataType.FLOAT32, false);
        NDArray best = f32.softmax(0).max(new int[] {0});
        byte[] confidence =
                best.mul(Ops.scalar(best, 255))
                        .add(Ops.scalar(best, 0.5))
                        .floor()
                        .toType(DataType.UINT8, false)
                        .toByteArray();
        float[] kept = keepLogits ? f32.toFloatArray() : null;
        return new SegmentationOutput(mask, confidence, (int) s.get(1), (int) s.get(0), kept);
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}

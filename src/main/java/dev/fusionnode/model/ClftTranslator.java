package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.StackBatchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.fusionnode.model.nn.Ops;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One CLFT sample in, one mask out; samples are stacked into (B, 3, S, S) batches (a batch of one
 * is a view of its sample, not a copy) and the (B, C, S, S) logits split back. The mask is the
 * argmax over classes, the confidence the top softmax probability (8 bits).
 *
 * <p>Inputs are staged in direct buffers that the translator keeps and reuses batch after batch, so
 * a frame allocates no native memory on the Java side (DJL would allocate a fresh direct buffer per
 * input, freed only by a later garbage collection). Like its predictor, a translator serves one
 * thread at a time.
 */
public final class ClftTranslator implements Translator<ClftSample, SegmentationOutput> {
    /** The batch's next staging buffer, counted per predictor call. */
    private static final String NEXT_STAGING = "clft.next-staging-buffer";

    private static final Batchifier BATCHIFIER =
            new StackBatchifier() {
                @Override
                public NDList batchify(NDList[] inputs) {
                    if (inputs.length != 1) {
                        return super.batchify(inputs);
                    }
                    NDList batch = new NDList(inputs[0].size());
                    for (NDArray a : inputs[0]) {
                        batch.add(a.expandDims(0));
                    }
                    return batch;
                }
            };

    private final boolean keepLogits;
    private final DataType dataType;
    private final List<ByteBuffer> staging = new ArrayList<>();

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
        Shape shape = new Shape(3, s.size(), s.size());
        NDArray rgb = staged(ctx, s.rgb(), shape);
        NDArray lidar = s.lidar() == null ? rgb : staged(ctx, s.lidar(), shape);
        if (dataType != DataType.FLOAT32) {
            rgb = rgb.toType(dataType, false);
            lidar = lidar.toType(dataType, false);
        }
        return new NDList(rgb, lidar);
    }

    /**
     * {@code values} copied into the batch's next staging buffer, as an array over that buffer: the
     * buffer is not written again before the next batch, when this batch's arrays are closed.
     */
    private NDArray staged(TranslatorContext ctx, float[] values, Shape shape) {
        Object next = ctx.getAttachment(NEXT_STAGING);
        int k = next == null ? 0 : (Integer) next;
        ctx.setAttachment(NEXT_STAGING, k + 1);
        int bytes = values.length * Float.BYTES;
        if (k == staging.size()) {
            staging.add(null);
        }
        ByteBuffer b = staging.get(k);
        if (b == null || b.capacity() != bytes) {
            b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            staging.set(k, b);
        }
        b.clear();
        b.asFloatBuffer().put(values);
        return ctx.getNDManager().create(b, shape, DataType.FLOAT32);
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
        return BATCHIFIER;
    }
}

package dev.fusionnode.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import java.util.Arrays;

/**
 * Parameter-free operations with PyTorch's exact semantics, and the arrays made from Java values
 * that autograd can safely keep.
 *
 * <p>An array that DJL makes from Java data ({@code manager.create(...)}) is a libtorch tensor over
 * a Java direct buffer, not memory of its own; the buffer lives only while the Java array is open
 * and reachable. Autograd keeps the tensors a backward needs (the other factor of a product, the
 * exponent of a power, the indices of a gather) beyond that, so such a tensor must own its memory.
 * DJL's arithmetic with a {@code Number} ({@code x.mul(0.5)}) wraps the number that way and closes
 * it right after the op: once the garbage collector frees the buffer, the backward multiplies by
 * whatever the allocator left there. In anything autograd may record use {@link #scalar} and {@link
 * #owned} instead (a build rule enforces it in the model and training packages).
 */
public final class Ops {
    private Ops() {}

    /**
     * A 0-d array holding {@code value} in the data type of {@code like}, in its manager, in memory
     * that libtorch owns (safe for autograd to keep).
     */
    public static NDArray scalar(NDArray like, double value) {
        NDManager m = like.getManager();
        DataType type = like.getDataType();
        try (NDArray wrapped =
                type == DataType.FLOAT64 ? m.create(value) : m.create((float) value)) {
            NDArray copy = wrapped.duplicate();
            if (copy.getDataType() == type) {
                return copy;
            }
            try (copy) {
                return copy.toType(type, true);
            }
        }
    }

    /**
     * A copy of {@code wrapped} (an array made from Java data) in memory that libtorch owns; {@code
     * wrapped} is closed.
     */
    public static NDArray owned(NDArray wrapped) {
        try (wrapped) {
            return wrapped.duplicate();
        }
    }

    /**
     * Bilinear resize of (B, C, H, W) with {@code align_corners=True}: output pixel o of an axis
     * samples the input at o (in - 1) / (out - 1). On libtorch this is its own {@code
     * upsample_bilinear2d} kernel when no gradient is recorded ({@link TorchKernels}: DJL's
     * interpolate always antialiases), otherwise ({@code training}) two gathers and a lerp per
     * axis.
     */
    public static NDArray bilinearAlignCorners(
            NDArray x, long height, long width, boolean training) {
        Shape s = x.getShape();
        if (s.get(2) == height && s.get(3) == width) {
            return x;
        }
        if (x instanceof PtNDArray pt && TorchKernels.applies(training)) {
            return TorchKernels.bilinearAlignCorners(pt, height, width);
        }
        return resizeAxis(resizeAxis(x, 3, width), 2, height);
    }

    private static NDArray resizeAxis(NDArray x, int axis, long out) {
        Shape s = x.getShape();
        long in = s.get(axis);
        if (in == out) {
            return x;
        }
        int n = Math.toIntExact(out);
        long[] lo = new long[n];
        long[] hi = new long[n];
        float[] frac = new float[n];
        float scale = out > 1 ? (float) (in - 1) / (out - 1) : 0f;
        for (int o = 0; o < n; o++) {
            float p = scale * o;
            long i0 = Math.min((long) Math.floor(p), in - 1);
            lo[o] = i0;
            hi[o] = Math.min(i0 + 1, in - 1);
            frac[o] = p - i0;
        }
        long[] idxShape = new long[s.dimension()];
        Arrays.fill(idxShape, 1);
        idxShape[axis] = out;
        long[] target = s.getShape();
        target[axis] = out;
        NDManager m = x.getManager();
        NDArray a =
                x.gather(
                        owned(m.create(lo, new Shape(idxShape))).broadcast(new Shape(target)),
                        axis);
        NDArray b =
                x.gather(
                        owned(m.create(hi, new Shape(idxShape))).broadcast(new Shape(target)),
                        axis);
        NDArray f = owned(m.create(frac, new Shape(idxShape)));
        if (x.getDataType() != f.getDataType()) {
            f = f.toType(x.getDataType(), false);
        }
        return a.add(b.sub(a).mul(f));
    }

    /** Bilinear x2 with {@code align_corners=True} (the DPT decoder's upsampling). */
    public static NDArray upsample2x(NDArray x, boolean training) {
        Shape s = x.getShape();
        return bilinearAlignCorners(x, s.get(2) * 2, s.get(3) * 2, training);
    }

    /**
     * TF-"SAME" padding of (B, C, H, W) for a {@code k}x{@code k} window with {@code stride}: total
     * {@code max((ceil(i/s) - 1) s + k - i, 0)} per axis, the odd pixel at the bottom/right, filled
     * with {@code value} (timm's {@code pad_same}).
     */
    public static NDArray padSame(NDArray x, int k, int stride, double value) {
        Shape s = x.getShape();
        long ph = samePad(s.get(2), k, stride);
        long pw = samePad(s.get(3), k, stride);
        if (ph == 0 && pw == 0) {
            return x;
        }
        return x.pad(new Shape(pw / 2, pw - pw / 2, ph / 2, ph - ph / 2), value);
    }

    static long samePad(long size, int k, int stride) {
        long out = (size + stride - 1) / stride;
        return Math.max((out - 1) * stride + k - size, 0);
    }

    /** timm's {@code MaxPool2dSame}: "SAME" padding with minus infinity, then max pooling. */
    public static NDArray maxPoolSame(NDArray x, int k, int stride) {
        return Pool.maxPool2d(
                padSame(x, k, stride, Double.NEGATIVE_INFINITY),
                new Shape(k, k),
                new Shape(stride, stride),
                new Shape(0, 0),
                false);
    }
}

package dev.fusionnode.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Parameter-free operations with PyTorch's exact semantics. */
public final class Ops {
    /** libtorch's interpolation mode number for bilinear. */
    private static final int TORCH_BILINEAR = 2;

    private Ops() {}

    /**
     * Bilinear resize of (B, C, H, W) with {@code align_corners=True}. DJL's {@code
     * NDArrayEx.interpolation} drops its align-corners argument (DJL 0.32), so this calls
     * libtorch's {@code upsample_bilinear2d} through the engine directly; it is differentiable.
     */
    public static NDArray bilinearAlignCorners(NDArray x, long height, long width) {
        if (!(x instanceof PtNDArray pt)) {
            throw new IllegalStateException(
                    "CLFT needs the PyTorch engine; got " + x.getClass().getName());
        }
        return JniUtils.interpolate(pt, new long[] {height, width}, TORCH_BILINEAR, true);
    }

    /** Bilinear x2 with {@code align_corners=True} (the DPT decoder's upsampling). */
    public static NDArray upsample2x(NDArray x) {
        Shape s = x.getShape();
        return bilinearAlignCorners(x, s.get(2) * 2, s.get(3) * 2);
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

package dev.fusionnode.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * {@code nn.Conv2d} with square kernels: {@code weight} (out, in, k, k) and an optional {@code
 * bias}. Padding is static and symmetric, or timm's TF-"SAME" computed from the input size (extra
 * pixel bottom/right). With weight standardisation it is timm's {@code StdConv2dSame}: each output
 * channel's kernel is normalised to zero mean and unit (biased) variance before convolving.
 */
public final class Conv extends TorchStyleBlock {
    /**
     * Output channels a convolution that records gradients is widened to a multiple of. oneDNN 3.5
     * (in libtorch 2.5.1) on AVX-512 CPUs computes the input gradient of a 3x3 convolution wrongly
     * when its output channels are not a multiple of 16 (seen with 4, 8, 12 and 24 channels on 9x9
     * and 32x32 inputs, as the MICRO model's head has; the forward and the weight gradient are
     * right). Training therefore convolves with zero filters added up to a multiple of 16 and drops
     * their channels from the output: the same output, the same gradients of the real filters, and
     * an input gradient from the kernel that is right.
     */
    static final int CHANNEL_BLOCK = 16;

    private final Parameter weight;
    private final Parameter bias;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean same;
    private final float standardizeEps;

    private Conv(
            int in,
            int out,
            int kernel,
            int stride,
            int padding,
            boolean same,
            boolean withBias,
            float standardizeEps) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.same = same;
        this.standardizeEps = standardizeEps;
        float he = (float) Math.sqrt(2.0 / (in * kernel * kernel));
        weight = param("weight", new Shape(out, in, kernel, kernel), new NormalInitializer(he));
        bias = withBias ? param("bias", new Shape(out), new ConstantInitializer(0)) : null;
    }

    /** A convolution with bias and symmetric zero padding. */
    public static Conv of(int in, int out, int kernel, int stride, int padding) {
        return new Conv(in, out, kernel, stride, padding, false, true, 0);
    }

    /**
     * timm's {@code StdConv2dSame} (no bias): weight standardised with {@code eps}, TF-"SAME"
     * padding.
     */
    public static Conv standardizedSame(int in, int out, int kernel, int stride, float eps) {
        return new Conv(in, out, kernel, stride, 0, true, false, eps);
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = value(ps, weight, x, training);
        if (standardizeEps > 0) {
            w =
                    w instanceof PtNDArray pw
                                    && x instanceof PtNDArray px
                                    && TorchKernels.applies(training)
                            ? TorchKernels.standardized(pw, standardizeEps, px)
                            : standardize(w, standardizeEps, x);
        }
        NDArray in = same ? Ops.padSame(x, kernel, stride, 0) : x;
        int p = same ? 0 : padding;
        NDArray b = bias == null ? null : value(ps, bias, x, training);
        long out = w.getShape().get(0);
        long extra = training ? (CHANNEL_BLOCK - out % CHANNEL_BLOCK) % CHANNEL_BLOCK : 0;
        if (extra > 0) {
            // zero filters up to a whole block, and their output channels dropped again
            w = local(w.pad(new Shape(0, 0, 0, 0, 0, 0, 0, extra), 0), x);
            b = b == null ? null : local(b.pad(new Shape(0, extra), 0), x);
        }
        NDArray y =
                Conv2d.conv2d(
                                in,
                                w,
                                b,
                                new Shape(stride, stride),
                                new Shape(p, p),
                                new Shape(1, 1),
                                1)
                        .singletonOrThrow();
        return extra > 0 ? y.get(new NDIndex(":, :{}", out)) : y;
    }

    /**
     * Per output channel: (w - mean) / sqrt(biased var + eps), as {@code F.batch_norm} does; the
     * result belongs to the batch of {@code like}.
     */
    static NDArray standardize(NDArray w, float eps, NDArray like) {
        Shape s = w.getShape();
        NDArray flat = local(w.reshape(s.get(0), -1), like);
        NDArray mean = flat.mean(new int[] {1}, true);
        NDArray centred = flat.sub(mean);
        NDArray var = centred.square().mean(new int[] {1}, true);
        return centred.div(var.add(Ops.scalar(var, eps)).sqrt()).reshape(s);
    }
}

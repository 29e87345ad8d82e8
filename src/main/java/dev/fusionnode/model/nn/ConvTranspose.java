package dev.fusionnode.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2dTranspose;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * {@code nn.ConvTranspose2d} with kernel = stride (the reassemble upsamplers): {@code weight} (in,
 * out, k, k), {@code bias} (out).
 */
public final class ConvTranspose extends TorchStyleBlock {
    private final Parameter weight;
    private final Parameter bias;
    private final int stride;

    /** A transposed convolution with kernel and stride {@code k}, no padding. */
    public ConvTranspose(int in, int out, int k) {
        this.stride = k;
        float he = (float) Math.sqrt(2.0 / (in * k * k));
        weight = param("weight", new Shape(in, out, k, k), new NormalInitializer(he));
        bias = param("bias", new Shape(out), new ConstantInitializer(0));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return Conv2dTranspose.conv2dTranspose(
                        x,
                        value(ps, weight, x, training),
                        value(ps, bias, x, training),
                        new Shape(stride, stride),
                        new Shape(0, 0),
                        new Shape(0, 0),
                        new Shape(1, 1),
                        1)
                .singletonOrThrow();
    }
}

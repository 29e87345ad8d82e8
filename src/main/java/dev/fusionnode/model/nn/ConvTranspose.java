package dev.fusionnode.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * {@code nn.ConvTranspose2d} with kernel = stride (the reassemble upsamplers): {@code weight} (in,
 * out, k, k), {@code bias} (out). DJL's PyTorch engine does not implement deconvolution, and with
 * kernel = stride the output blocks do not overlap, so it is one matrix product: each input pixel's
 * C features times the (C, O*k*k) kernel give its k x k output block.
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
        NDArray w = value(ps, weight, x, training);
        Shape ws = w.getShape();
        long in = ws.get(0);
        long out = ws.get(1);
        long k = stride;
        Shape s = x.getShape();
        long b = s.get(0);
        long h = s.get(2);
        long wd = s.get(3);
        NDArray blocks = x.transpose(0, 2, 3, 1).matMul(local(w.reshape(in, out * k * k), x));
        NDArray y =
                blocks.reshape(b, h, wd, out, k, k)
                        .transpose(0, 3, 1, 4, 2, 5)
                        .reshape(b, out, h * k, wd * k);
        return y.add(local(value(ps, bias, x, training).reshape(1, out, 1, 1), x));
    }
}

package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.training.ParameterStore;
import dev.fusionnode.model.nn.Dense;
import dev.fusionnode.model.nn.Ops;
import dev.fusionnode.model.nn.TorchKernels;
import dev.fusionnode.model.nn.TorchStyleBlock;

/**
 * timm's ViT multi-head self-attention: {@code qkv} (3D x D, with bias), softmax(q k^T / sqrt(d)) v
 * per head (libtorch's fused {@code scaled_dot_product_attention} when no gradient is recorded),
 * {@code proj} (D x D).
 */
final class Attention extends TorchStyleBlock {
    private final Dense qkv;
    private final Dense proj;
    private final int heads;
    private final float scale;

    Attention(int width, int heads) {
        this.heads = heads;
        this.scale = (float) (1.0 / Math.sqrt(width / (double) heads));
        qkv = child("qkv", new Dense(width, 3 * width));
        proj = child("proj", new Dense(width, width));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        long n = s.get(1);
        long d = s.get(2);
        NDArray t = qkv.forward(ps, x, training).reshape(b, n, 3, heads, d / heads);
        NDList parts = t.transpose(2, 0, 3, 1, 4).split(3, 0);
        NDArray q = parts.get(0).squeeze(0);
        NDArray k = parts.get(1).squeeze(0);
        NDArray v = parts.get(2).squeeze(0);
        NDArray heads =
                q instanceof PtNDArray pq && TorchKernels.applies(training)
                        ? TorchKernels.attention(pq, (PtNDArray) k, (PtNDArray) v)
                        : q.mul(Ops.scalar(q, scale))
                                .matMul(k.transpose(0, 1, 3, 2))
                                .softmax(-1)
                                .matMul(v);
        NDArray out = heads.transpose(0, 2, 1, 3).reshape(b, n, d);
        return proj.forward(ps, out, training);
    }
}

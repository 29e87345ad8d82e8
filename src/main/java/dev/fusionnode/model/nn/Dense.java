package dev.fusionnode.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;

/** {@code nn.Linear}: {@code weight} (out, in), {@code bias} (out); acts on the last axis. */
public final class Dense extends TorchStyleBlock {
    private final Parameter weight;
    private final Parameter bias;

    /** A linear layer with bias, weights drawn from N(0, 0.02) as timm initialises ViTs. */
    public Dense(int in, int out) {
        weight = param("weight", new Shape(out, in), new NormalInitializer(0.02f));
        bias = param("bias", new Shape(out), new ConstantInitializer(0));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = value(ps, weight, x, training);
        NDArray b = value(ps, bias, x, training);
        Shape s = x.getShape();
        if (s.dimension() == 2) {
            return Linear.linear(x, w, b).singletonOrThrow();
        }
        // libtorch's C++ linear fuses the bias into the product (addmm) only for 2-D input; a
        // (B, N, D) input would take a matmul and a separate pass adding the bias
        long[] out = s.getShape().clone();
        out[out.length - 1] = w.getShape().get(0);
        return Linear.linear(x.reshape(-1, s.get(s.dimension() - 1)), w, b)
                .singletonOrThrow()
                .reshape(new Shape(out));
    }
}

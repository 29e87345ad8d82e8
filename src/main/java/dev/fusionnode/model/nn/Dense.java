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
        return Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training))
                .singletonOrThrow();
    }
}

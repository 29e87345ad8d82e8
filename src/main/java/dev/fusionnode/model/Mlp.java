package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.fusionnode.model.nn.Dense;
import dev.fusionnode.model.nn.TorchStyleBlock;

/** The ViT MLP: {@code fc1} (D -> 4D), exact GELU, {@code fc2} (4D -> D). */
final class Mlp extends TorchStyleBlock {
    private final Dense fc1;
    private final Dense fc2;

    Mlp(int width, int hidden) {
        fc1 = child("fc1", new Dense(width, hidden));
        fc2 = child("fc2", new Dense(hidden, width));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return fc2.forward(ps, Activation.gelu(fc1.forward(ps, x, training)), training);
    }
}

package dev.fusionnode.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;

/** {@code nn.LayerNorm} over the last axis: {@code weight}, {@code bias} (width). */
public final class LayerNormBlock extends TorchStyleBlock {
    private final Parameter weight;
    private final Parameter bias;
    private final int width;
    private final float eps;

    /** LayerNorm of {@code width} features with {@code eps} (timm ViTs: 1e-6). */
    public LayerNormBlock(int width, float eps) {
        this.width = width;
        this.eps = eps;
        weight = param("weight", new Shape(width), new ConstantInitializer(1));
        bias = param("bias", new Shape(width), new ConstantInitializer(0));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return LayerNorm.layerNorm(
                        x,
                        new Shape(width),
                        value(ps, weight, x, training),
                        value(ps, bias, x, training),
                        eps)
                .singletonOrThrow();
    }
}

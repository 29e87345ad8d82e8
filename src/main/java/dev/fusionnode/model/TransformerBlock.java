package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.fusionnode.model.nn.LayerNormBlock;
import dev.fusionnode.model.nn.TorchStyleBlock;

/** A pre-norm ViT block: x + attn(norm1(x)), then + mlp(norm2(x)); LayerNorm eps 1e-6. */
final class TransformerBlock extends TorchStyleBlock {
    static final float LAYER_NORM_EPS = 1e-6f;

    private final LayerNormBlock norm1;
    private final Attention attn;
    private final LayerNormBlock norm2;
    private final Mlp mlp;

    TransformerBlock(Backbone b) {
        norm1 = child("norm1", new LayerNormBlock(b.width(), LAYER_NORM_EPS));
        attn = child("attn", new Attention(b.width(), b.heads()));
        norm2 = child("norm2", new LayerNormBlock(b.width(), LAYER_NORM_EPS));
        mlp = child("mlp", new Mlp(b.width(), Backbone.MLP_RATIO * b.width()));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray y = x.add(attn.forward(ps, norm1.forward(ps, x, training), training));
        return y.add(mlp.forward(ps, norm2.forward(ps, y, training), training));
    }
}

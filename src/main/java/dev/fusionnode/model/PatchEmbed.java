package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.fusionnode.model.nn.Conv;
import dev.fusionnode.model.nn.TorchStyleBlock;

/**
 * timm's patch embedding: {@code proj} conv 16x16/16 (3 -> D) for plain ViTs, or, for the hybrid,
 * the ResNetV2 {@code backbone} (stride 16) followed by a 1x1 {@code proj} (1024 -> D). Output
 * tokens (B, h*w, D) in row-major (h, w) order.
 */
final class PatchEmbed extends TorchStyleBlock {
    private final ResNetV2 backbone;
    private final Conv proj;

    PatchEmbed(Backbone b, int patchSize) {
        if (b.hybrid()) {
            backbone = child("backbone", new ResNetV2());
            proj = child("proj", Conv.of(ResNetV2.OUT_CHANNELS, b.width(), 1, 1, 0));
        } else {
            backbone = null;
            proj = child("proj", Conv.of(3, b.width(), patchSize, patchSize, 0));
        }
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray features = backbone == null ? x : backbone.forward(ps, x, training);
        NDArray grid = proj.forward(ps, features, training);
        Shape s = grid.getShape();
        return grid.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
    }
}

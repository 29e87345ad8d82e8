package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.fusionnode.model.nn.Dense;
import dev.fusionnode.model.nn.IndexedBlocks;
import dev.fusionnode.model.nn.LayerNormBlock;
import dev.fusionnode.model.nn.TorchStyleBlock;
import java.util.List;

/**
 * The timm ViT ({@code transformer_encoders}): patch embedding, class token prepended, position
 * embedding added to all tokens, pre-norm blocks. Its forward returns the outputs of the hooked
 * blocks (B, tokens, D), in hook order. The final {@code norm} and the ImageNet {@code head} are
 * built so that checkpoints load, but not run: CLFT reads only the hooked blocks, so the blocks
 * after the last hook, the norm and the head cannot change its output.
 */
final class VisionTransformer extends TorchStyleBlock {
    private final Parameter clsToken;
    private final Parameter posEmbed;
    private final PatchEmbed patchEmbed;
    private final IndexedBlocks<TransformerBlock> blocks;
    private final List<Integer> hooks;
    private final int lastHook;

    VisionTransformer(ClftSpec spec) {
        Backbone b = spec.backbone();
        int d = b.width();
        clsToken = param("cls_token", new Shape(1, 1, d), new NormalInitializer(1e-6f));
        posEmbed = param("pos_embed", new Shape(1, spec.tokens(), d), new NormalInitializer(0.02f));
        patchEmbed = child("patch_embed", new PatchEmbed(b, spec.patchSize()));
        blocks = child("blocks", new IndexedBlocks<>());
        for (int i = 0; i < b.depth(); i++) {
            blocks.add(new TransformerBlock(b));
        }
        child("norm", new LayerNormBlock(d, TransformerBlock.LAYER_NORM_EPS));
        child("head", new Dense(d, Backbone.IMAGENET_CLASSES));
        hooks = spec.hooks();
        lastHook = hooks.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** The hooked block outputs for images (B, 3, H, W). */
    NDList hooked(ParameterStore ps, NDArray images, boolean training) {
        NDArray tokens = patchEmbed.forward(ps, images, training);
        long batch = tokens.getShape().get(0);
        NDArray cls = value(ps, clsToken, tokens, training);
        cls = local(cls.broadcast(new Shape(batch, 1, cls.getShape().get(2))), tokens);
        NDArray x = cls.concat(tokens, 1).add(value(ps, posEmbed, tokens, training));
        NDArray[] out = new NDArray[hooks.size()];
        for (int i = 0; i <= lastHook; i++) {
            x = blocks.get(i).forward(ps, x, training);
            for (int h = 0; h < hooks.size(); h++) {
                if (hooks.get(h) == i) {
                    out[h] = x;
                }
            }
        }
        return new NDList(out);
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        throw new UnsupportedOperationException("use hooked(): the encoder has four outputs");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return hooked(ps, inputs.singletonOrThrow(), training);
    }
}

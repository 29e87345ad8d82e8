package dev.fusionnode.model;

import java.util.List;
import java.util.Locale;

/**
 * The ViT encoder of a CLFT model, named as timm names it (clft-spec §3.1).
 *
 * @param timmName timm model name, e.g. {@code vit_base_patch16_384}
 * @param width token width D
 * @param depth number of transformer blocks
 * @param heads attention heads (head width D / heads)
 * @param hybrid true for the ResNetV2-50 stem of {@code vit_base_resnet50_384}
 */
public record Backbone(String timmName, int width, int depth, int heads, boolean hybrid) {
    /** MLP hidden width = {@code MLP_RATIO * width}, as in every timm ViT used here. */
    public static final int MLP_RATIO = 4;

    /** Classes of the (unused) ImageNet classifier that timm builds and the checkpoints carry. */
    public static final int IMAGENET_CLASSES = 1000;

    /** Validates the shape. */
    public Backbone {
        if (width <= 0 || depth <= 0 || heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException(
                    "backbone "
                            + timmName
                            + ": width "
                            + width
                            + " must be a positive multiple of heads "
                            + heads
                            + " and depth positive");
        }
    }

    /**
     * The backbones this node builds, by timm name; {@code vit_micro_patch16_384} (64 wide, 4
     * blocks, 2 heads) is this project's own, for tests and small CPUs, laid out like timm's.
     */
    public static List<Backbone> known() {
        return List.of(
                new Backbone("vit_micro_patch16_384", 64, 4, 2, false),
                new Backbone("vit_tiny_patch16_384", 192, 12, 3, false),
                new Backbone("vit_small_patch16_384", 384, 12, 6, false),
                new Backbone("vit_base_patch16_384", 768, 12, 12, false),
                new Backbone("vit_large_patch16_384", 1024, 24, 16, false),
                new Backbone("vit_base_resnet50_384", 768, 12, 12, true),
                new Backbone("vit_base_r50_s16_384", 768, 12, 12, true));
    }

    /**
     * The backbone of a timm model name.
     *
     * @throws IllegalArgumentException naming the known ones
     */
    public static Backbone fromTimm(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (Backbone b : known()) {
            if (b.timmName.equals(n)) {
                return b;
            }
        }
        throw new IllegalArgumentException(
                "unknown CLFT backbone '"
                        + name
                        + "'; known: "
                        + known().stream().map(Backbone::timmName).toList());
    }

    /** Width of one attention head. */
    public int headWidth() {
        return width / heads;
    }
}

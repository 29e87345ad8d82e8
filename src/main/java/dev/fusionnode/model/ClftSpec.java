package dev.fusionnode.model;

import java.util.List;

/**
 * Everything that fixes a CLFT model's structure (clft-spec §3): backbone, hooked blocks,
 * reassemble factors, decoder width, readout, class count, input size and mode.
 *
 * @param backbone the ViT encoder ({@code CLFT.model_timm})
 * @param embDim {@code CLFT.emb_dim}; must equal the backbone width
 * @param hooks indices of the transformer blocks whose outputs feed the four stages
 * @param resampleDim decoder width ({@code CLFT.resample_dim}, 256 in the paper)
 * @param reassembles resample factors per stage ({@code [4, 8, 16, 32]})
 * @param read token readout; only {@code projection} is built
 * @param classes output channels = number of train classes
 * @param patchSize ViT patch size (16)
 * @param imageSize square input size (384)
 * @param mode inputs used
 */
public record ClftSpec(
        Backbone backbone,
        int embDim,
        List<Integer> hooks,
        int resampleDim,
        List<Integer> reassembles,
        String read,
        int classes,
        int patchSize,
        int imageSize,
        ClftMode mode) {

    /** Validates the combination. */
    public ClftSpec {
        hooks = List.copyOf(hooks);
        reassembles = List.copyOf(reassembles);
        if (embDim != backbone.width()) {
            throw new IllegalArgumentException(
                    "emb_dim "
                            + embDim
                            + " does not match "
                            + backbone.timmName()
                            + " (width "
                            + backbone.width()
                            + ")");
        }
        if (hooks.size() != 4 || reassembles.size() != 4) {
            throw new IllegalArgumentException("hooks and reassembles need four entries each");
        }
        for (int h : hooks) {
            if (h < 0 || h >= backbone.depth()) {
                throw new IllegalArgumentException(
                        "hook "
                                + h
                                + " is outside the "
                                + backbone.depth()
                                + " blocks of "
                                + backbone.timmName());
            }
        }
        for (int s : reassembles) {
            if (s != 4 && s != 8 && s != 16 && s != 32) {
                throw new IllegalArgumentException(
                        "reassemble factor " + s + " is not one of 4, 8, 16, 32");
            }
        }
        if (!"projection".equals(read)) {
            throw new IllegalArgumentException(
                    "read '" + read + "' is not supported; the paper's models use 'projection'");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a model needs at least 2 classes, got " + classes);
        }
        if (patchSize != 16 || imageSize % (2 * patchSize) != 0 || imageSize <= 0) {
            throw new IllegalArgumentException(
                    "patch size must be 16 and the image size a multiple of 32, got "
                            + patchSize
                            + " and "
                            + imageSize);
        }
        if (resampleDim <= 0) {
            throw new IllegalArgumentException("resample_dim must be positive");
        }
    }

    /**
     * The paper's settings for a backbone: hooks by depth ([2,5,8,11] for 12 blocks, [5,11,17,23]
     * for 24, every block for 4), resample 256, 384 px input.
     */
    public static ClftSpec paper(String timmName, int classes, ClftMode mode) {
        Backbone b = Backbone.fromTimm(timmName);
        List<Integer> hooks =
                switch (b.depth()) {
                    case 24 -> List.of(5, 11, 17, 23);
                    case 4 -> List.of(0, 1, 2, 3);
                    default -> List.of(2, 5, 8, 11);
                };
        return new ClftSpec(
                b,
                b.width(),
                hooks,
                256,
                List.of(4, 8, 16, 32),
                "projection",
                classes,
                16,
                384,
                mode);
    }

    /** A copy with another decoder width. */
    public ClftSpec withResampleDim(int dim) {
        return new ClftSpec(
                backbone,
                embDim,
                hooks,
                dim,
                reassembles,
                read,
                classes,
                patchSize,
                imageSize,
                mode);
    }

    /** A copy with another input size (a multiple of 32, so that every stage has whole sizes). */
    public ClftSpec withImageSize(int size) {
        return new ClftSpec(
                backbone,
                embDim,
                hooks,
                resampleDim,
                reassembles,
                read,
                classes,
                patchSize,
                size,
                mode);
    }

    /** A copy with another class count. */
    public ClftSpec withClasses(int n) {
        return new ClftSpec(
                backbone,
                embDim,
                hooks,
                resampleDim,
                reassembles,
                read,
                n,
                patchSize,
                imageSize,
                mode);
    }

    /** A copy with another mode. */
    public ClftSpec withMode(ClftMode m) {
        return new ClftSpec(
                backbone,
                embDim,
                hooks,
                resampleDim,
                reassembles,
                read,
                classes,
                patchSize,
                imageSize,
                m);
    }

    /** Patches per side (24 at 384 px). */
    public int grid() {
        return imageSize / patchSize;
    }

    /** Tokens including the class token (577 at 384 px). */
    public int tokens() {
        return grid() * grid() + 1;
    }
}

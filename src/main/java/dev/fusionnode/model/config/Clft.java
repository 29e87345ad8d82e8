package dev.fusionnode.model.config;

import dev.fusionnode.model.Backbone;
import java.util.List;
import java.util.Set;

/**
 * The {@code CLFT} block: model shape and optimiser settings (clft-spec §3.1, §4.1).
 *
 * @param embDim token width; must equal the backbone's
 * @param hooks the four transformer blocks feeding the decoder stages
 * @param modelTimm timm name of the encoder
 * @param clftLr initial Adam learning rate
 * @param patchSize ViT patch size (16)
 * @param reassembles resample factor per stage ({@code [4, 8, 16, 32]})
 * @param read token readout ({@code projection})
 * @param resampleDim decoder width
 * @param type head type ({@code segmentation})
 * @param lossDepth unused by the paper (optional, {@code ssi})
 * @param lossSegmentation unused by the paper, CE is hard-wired (optional, {@code ce})
 * @param lrMomentum per-epoch learning-rate factor: lr = clftLr * lrMomentum^epoch
 * @param pretrained start the encoder from ImageNet weights
 */
public record Clft(
        int embDim,
        List<Integer> hooks,
        String modelTimm,
        double clftLr,
        int patchSize,
        List<Integer> reassembles,
        String read,
        int resampleDim,
        String type,
        String lossDepth,
        String lossSegmentation,
        double lrMomentum,
        boolean pretrained) {

    private static final Set<Integer> FACTORS = Set.of(4, 8, 16, 32);

    /** Copies the lists. */
    public Clft {
        hooks = List.copyOf(hooks);
        reassembles = List.copyOf(reassembles);
    }

    /** The encoder named by {@code model_timm}. */
    public Backbone backbone() {
        return Backbone.fromTimm(modelTimm);
    }

    static Clft from(JsonFields f) {
        String timm = f.string("model_timm");
        Backbone b;
        try {
            b = Backbone.fromTimm(timm);
        } catch (IllegalArgumentException e) {
            throw f.invalid("model_timm", e.getMessage());
        }
        int emb = f.integer("emb_dim", 1, 1 << 16);
        if (emb != b.width()) {
            throw f.invalid(
                    "emb_dim",
                    "must equal the width of "
                            + b.timmName()
                            + " ("
                            + b.width()
                            + "), found "
                            + emb);
        }
        List<Integer> hooks = f.integers("hooks", 4, 0, Integer.MAX_VALUE);
        for (int h : hooks) {
            if (h >= b.depth()) {
                throw f.invalid(
                        "hooks",
                        "block "
                                + h
                                + " does not exist: "
                                + b.timmName()
                                + " has blocks 0.."
                                + (b.depth() - 1));
            }
        }
        List<Integer> reassembles = f.integers("reassembles", 4, 1, Integer.MAX_VALUE);
        if (!FACTORS.containsAll(reassembles)) {
            throw f.invalid("reassembles", "factors must be 4, 8, 16 or 32, found " + reassembles);
        }
        int patch = f.integer("patch_size", 1, 1024);
        if (patch != 16) {
            throw f.invalid(
                    "patch_size", "must be 16 (every CLFT backbone uses 16), found " + patch);
        }
        String read = f.string("read");
        if (!"projection".equals(read)) {
            throw f.invalid(
                    "read", "must be \"projection\" (the paper's readout), found \"" + read + "\"");
        }
        String type = f.string("type");
        if (!"segmentation".equals(type)) {
            throw f.invalid(
                    "type",
                    "must be \"segmentation\" (no paper model has a depth head), found \""
                            + type
                            + "\"");
        }
        return new Clft(
                emb,
                hooks,
                b.timmName(),
                f.number("clft_lr", 0, 1),
                patch,
                reassembles,
                read,
                f.integer("resample_dim", 1, 1 << 16),
                type,
                f.optString("loss_depth", "ssi"),
                f.optString("loss_segmentation", "ce"),
                f.number("lr_momentum", 0, 1),
                f.bool("pretrained"));
    }
}

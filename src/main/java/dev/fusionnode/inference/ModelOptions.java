package dev.fusionnode.inference;

import dev.fusionnode.config.ConfigReader;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which CLFT model the node serves. With a {@code checkpoint} the weights come from that {@code
 * .pth}; without one the model is randomly initialised from {@code seed} (a pipeline demo: its
 * masks mean nothing). The structure comes from the paper-format {@code config} when given, else
 * from the fields below.
 *
 * @param config paper (AIM) config JSON giving structure, classes and normalisation
 * @param checkpoint {@code .pth} weights (bare state dict or trainer checkpoint)
 * @param backbone timm backbone name when no config is given
 * @param mode {@code rgb}, {@code lidar} or {@code cross_fusion} when no config is given
 * @param classes output classes when no config is given
 * @param resampleDim decoder width when no config is given
 * @param imageSize model input side (384 for the paper's models)
 * @param normalization RGB mean/std: {@code zod} or {@code imagenet}, when no config is given
 * @param seed seed of the random initialisation
 */
public record ModelOptions(
        Optional<Path> config,
        Optional<Path> checkpoint,
        String backbone,
        String mode,
        int classes,
        int resampleDim,
        int imageSize,
        String normalization,
        long seed) {

    /** A micro CLFT with random weights: runs everywhere, means nothing. */
    public static ModelOptions defaults() {
        return new ModelOptions(
                Optional.empty(),
                Optional.empty(),
                "vit_micro_patch16_384",
                "cross_fusion",
                4,
                16,
                384,
                "zod",
                1);
    }

    /** The model of a paper config and a checkpoint (the structure fields at their defaults). */
    public static ModelOptions files(Path config, Path checkpoint) {
        ModelOptions d = defaults();
        return new ModelOptions(
                Optional.of(config),
                Optional.of(checkpoint),
                d.backbone(),
                d.mode(),
                d.classes(),
                d.resampleDim(),
                d.imageSize(),
                d.normalization(),
                d.seed());
    }

    /** Reads the {@code inference.model} block. */
    public static ModelOptions from(ConfigReader r) {
        ModelOptions d = defaults();
        String config = r.string("config", null);
        String checkpoint = r.string("checkpoint", null);
        String norm = r.string("normalization", d.normalization());
        if (!norm.equals("zod") && !norm.equals("imagenet")) {
            throw r.invalid("normalization", "must be 'zod' or 'imagenet', found '" + norm + "'");
        }
        ModelOptions o =
                new ModelOptions(
                        Optional.ofNullable(config).map(Path::of),
                        Optional.ofNullable(checkpoint).map(Path::of),
                        r.string("backbone", d.backbone()),
                        r.string("mode", d.mode()),
                        r.integer("classes", d.classes(), 2, 255),
                        r.integer("resampleDim", d.resampleDim(), 8, 1024),
                        r.integer("imageSize", d.imageSize(), 32, 2048),
                        norm,
                        r.longValue("seed", d.seed(), Long.MIN_VALUE, Long.MAX_VALUE));
        r.rejectUnknownKeys();
        return o;
    }
}

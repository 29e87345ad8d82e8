package dev.fusionnode.inference;

import dev.fusionnode.geometry.ModelInputs;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * clft-spec §7.1: the camera image PIL-bilinear resized to the model size and normalised with the
 * dataset's mean/std; the LiDAR image resized the same way, in [0, 1], not normalised. A frame with
 * no LiDAR gets an all-black LiDAR image (what the AIM loader feeds in RGB mode).
 *
 * @param spec model structure (size, mode)
 * @param mean RGB mean
 * @param std RGB standard deviation
 */
public record InputPreprocessor(ClftSpec spec, float[] mean, float[] std) {
    /** The preprocessing of a paper config: its model size and mode, its RGB mean and std. */
    public static InputPreprocessor of(ClftSpec spec, PaperConfig config) {
        var t = config.dataset().transforms();
        return new InputPreprocessor(spec, floats(t.imageMean()), floats(t.imageStd()));
    }

    /** Prepares one frame. */
    public ClftSample sample(FusedFrame f) {
        return sample(f.camera().image(), f.lidarImage());
    }

    /** Prepares a camera image and, for models that use it, its CLFT LiDAR image. */
    public ClftSample sample(Image camera, Optional<Image> lidarImage) {
        int length = 3 * spec.imageSize() * spec.imageSize();
        return sample(
                camera,
                lidarImage,
                new float[length],
                spec.mode().usesLidar() ? new float[length] : null);
    }

    /**
     * Prepares one frame into arrays the caller owns (the inference worker reuses them batch after
     * batch): {@code rgb} and, for models that use LiDAR, {@code lidar}, each {@code 3 x size x
     * size} floats. A frame with no LiDAR image gets an all-black LiDAR input.
     */
    ClftSample sample(FusedFrame f, float[] rgb, float[] lidar) {
        return sample(f.camera().image(), f.lidarImage(), rgb, lidar);
    }

    private ClftSample sample(
            Image camera, Optional<Image> lidarImage, float[] rgb, float[] lidar) {
        int s = spec.imageSize();
        Image lidarInput = spec.mode().usesLidar() ? lidarImage.orElse(null) : null;
        // pieces of the work on another core: the cores are otherwise idle between forwards
        ModelInputs.pair(
                camera,
                lidarInput,
                s,
                mean,
                std,
                ModelInputs.helperThread(),
                rgb,
                lidarInput == null ? null : lidar);
        if (spec.mode().usesLidar() && lidarInput == null) {
            Arrays.fill(lidar, 0f);
        }
        return new ClftSample(rgb, spec.mode().usesLidar() ? lidar : null, s);
    }

    private static float[] floats(List<Double> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).floatValue();
        }
        return out;
    }
}

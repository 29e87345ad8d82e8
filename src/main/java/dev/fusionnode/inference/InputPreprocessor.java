package dev.fusionnode.inference;

import dev.fusionnode.geometry.ModelInputs;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;

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
        int s = spec.imageSize();
        boolean usesLidar = spec.mode().usesLidar();
        // half of the work on another core: the cores are otherwise idle between forwards
        var inputs =
                ModelInputs.pair(
                        camera,
                        usesLidar ? lidarImage.orElse(null) : null,
                        s,
                        mean,
                        std,
                        ForkJoinPool.commonPool());
        float[] lidar = usesLidar && inputs.lidar() == null ? new float[3 * s * s] : inputs.lidar();
        return new ClftSample(inputs.rgb(), lidar, s);
    }

    private static float[] floats(List<Double> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).floatValue();
        }
        return out;
    }
}

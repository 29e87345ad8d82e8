package dev.fusionnode.inference;

import dev.fusionnode.geometry.ModelInputs;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
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
        int s = spec.imageSize();
        float[] rgb = ModelInputs.rgb(camera, s, mean, std);
        float[] lidar = null;
        if (spec.mode().usesLidar()) {
            lidar =
                    lidarImage
                            .map(img -> ModelInputs.lidar(img, s))
                            .orElseGet(() -> new float[3 * s * s]);
        }
        return new ClftSample(rgb, lidar, s);
    }

    private static float[] floats(List<Double> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).floatValue();
        }
        return out;
    }
}

package dev.fusionnode.inference;

import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.projection.ModelInputs;
import dev.fusionnode.sensor.FusedFrame;

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
    /** Prepares one frame. */
    public ClftSample sample(FusedFrame f) {
        int s = spec.imageSize();
        float[] rgb = ModelInputs.rgb(f.camera().image(), s, mean, std);
        float[] lidar = null;
        if (spec.mode().usesLidar()) {
            lidar =
                    f.lidarImage()
                            .map(img -> ModelInputs.lidar(img, s))
                            .orElseGet(() -> new float[3 * s * s]);
        }
        return new ClftSample(rgb, lidar, s);
    }
}

package dev.fusionnode.model;

/**
 * One model input: the preprocessed camera image and LiDAR image as {@code 3 x size x size}
 * channel-first floats (clft-spec §7.1). {@code lidar} may be null for RGB-only models.
 *
 * @param rgb normalised RGB planes
 * @param lidar LiDAR image planes in [0, 1], or null
 * @param size side of the square input
 */
public record ClftSample(float[] rgb, float[] lidar, int size) {
    /** Checks the plane sizes. */
    public ClftSample {
        int n = 3 * size * size;
        if (rgb.length != n || (lidar != null && lidar.length != n)) {
            throw new IllegalArgumentException(
                    "a CLFT sample needs 3x" + size + "x" + size + " floats per input");
        }
    }
}

package dev.fusionnode.training;

/**
 * One model-ready training or evaluation sample: CHW float planes at {@code size} x {@code size}
 * and the train-class index of every pixel.
 *
 * @param rgb normalised camera planes
 * @param lidar LiDAR planes in [0, 1], or null for RGB-only models
 * @param label train-class index per pixel (row-major); {@link #IGNORE} where there is no label
 * @param size side of the square model input
 * @param weight weight of the sample's pixels in the loss (human labels 1, pseudo-labels less)
 */
public record TrainingSample(float[] rgb, float[] lidar, byte[] label, int size, float weight) {
    /**
     * Label value of a pixel without a label (a teacher's low-confidence pixel): left out of the
     * loss and the metrics. Also the annotation value that marks such pixels in a dataset.
     */
    public static final int IGNORE = 255;

    /** A sample of weight 1. */
    public TrainingSample(float[] rgb, float[] lidar, byte[] label, int size) {
        this(rgb, lidar, label, size, 1f);
    }

    /** Whether the loss needs a per-pixel scale (an ignored pixel or a weight other than 1). */
    boolean needsPixelScale() {
        if (weight != 1f) {
            return true;
        }
        for (byte b : label) {
            if ((b & 0xFF) == IGNORE) {
                return true;
            }
        }
        return false;
    }
}

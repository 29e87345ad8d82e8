package dev.fusionnode.training;

/**
 * One model-ready training or evaluation sample: CHW float planes at {@code size} x {@code size}
 * and the train-class index of every pixel.
 *
 * @param rgb normalised camera planes
 * @param lidar LiDAR planes in [0, 1], or null for RGB-only models
 * @param label train-class index per pixel (row-major)
 * @param size side of the square model input
 */
public record TrainingSample(float[] rgb, float[] lidar, byte[] label, int size) {}

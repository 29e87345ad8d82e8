package dev.fusionnode.inference;

import java.util.Arrays;

/**
 * One inference worker's model-input arrays, reused batch after batch: the predictor copies its
 * inputs into its own staging buffers, so once it returns the arrays are free again. Two 3x384x384
 * float arrays per frame (3.5 MB) no longer become garbage at every frame. Used by one thread only.
 */
final class InputBuffers {
    private float[][] rgb = new float[0][];
    private float[][] lidar = new float[0][];

    /** The camera input array of the {@code k}-th frame of a batch, {@code length} floats. */
    float[] rgb(int k, int length) {
        rgb = grown(rgb, k, length);
        return rgb[k];
    }

    /** The LiDAR input array of the {@code k}-th frame of a batch, {@code length} floats. */
    float[] lidar(int k, int length) {
        lidar = grown(lidar, k, length);
        return lidar[k];
    }

    private static float[][] grown(float[][] arrays, int k, int length) {
        if (k >= arrays.length) {
            arrays = Arrays.copyOf(arrays, k + 1);
        }
        if (arrays[k] == null || arrays[k].length != length) {
            arrays[k] = new float[length];
        }
        return arrays;
    }
}

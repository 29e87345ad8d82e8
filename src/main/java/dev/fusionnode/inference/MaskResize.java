package dev.fusionnode.inference;

import dev.fusionnode.pipeline.Image;

/** Masks back to camera resolution: PyTorch "nearest", source index floor(dst * in / out). */
public final class MaskResize {
    private MaskResize() {}

    /** Resizes a {@code size x size} mask to {@code width x height}. */
    public static Image nearest(byte[] mask, int size, int width, int height) {
        int[] cols = new int[width];
        for (int x = 0; x < width; x++) {
            cols[x] = (int) Math.min(size - 1, (long) x * size / width);
        }
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            int sy = (int) Math.min(size - 1, (long) y * size / height);
            int row = sy * size;
            int o = y * width;
            for (int x = 0; x < width; x++) {
                out[o + x] = mask[row + cols[x]];
            }
        }
        return new Image(width, height, 1, out);
    }
}

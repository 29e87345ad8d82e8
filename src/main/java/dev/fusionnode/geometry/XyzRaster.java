package dev.fusionnode.geometry;

import java.util.Arrays;

/**
 * A float32 {@code height x width x 3} raster of camera-frame {@code (x, y, z)} per pixel, NaN
 * where no point landed; where several points land on one pixel the nearest (smallest depth) wins.
 *
 * @param width raster width
 * @param height raster height
 * @param xyz interleaved values, row-major
 * @param pointsLanded points whose pixel fell inside the raster
 */
public record XyzRaster(int width, int height, float[] xyz, int pointsLanded) {

    /** Rasterises {@code points} at {@code width x height}. */
    public static XyzRaster of(ProjectedPoints p, int width, int height) {
        float[] out = new float[width * height * 3];
        Arrays.fill(out, Float.NaN);
        float sx = LidarImageEncoder.scale(width, p.refWidth);
        float sy = LidarImageEncoder.scale(height, p.refHeight);
        int landed = 0;
        for (int i = 0; i < p.count; i++) {
            int idx = LidarImageEncoder.pixelIndex(p, i, sx, sy, width, height);
            if (idx < 0) {
                continue;
            }
            landed++;
            int o = idx * 3;
            if (Float.isNaN(out[o + 2]) || p.cz[i] < out[o + 2]) {
                out[o] = p.cx[i];
                out[o + 1] = p.cy[i];
                out[o + 2] = p.cz[i];
            }
        }
        return new XyzRaster(width, height, out, landed);
    }
}

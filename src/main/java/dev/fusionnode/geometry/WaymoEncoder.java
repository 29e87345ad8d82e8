package dev.fusionnode.geometry;

import dev.fusionnode.pipeline.Image;

/**
 * Waymo {@code lidar_png} (clft-spec §2.3, {@code waymo_pickle_to_png.py}): Waymo-standardised
 * channels, then per-frame min-max over the whole channel (empty pixels included) to 0..255. RGB
 * order is {@code [X, Y, Z]}.
 */
public final class WaymoEncoder implements LidarImageEncoder {

    /** {@inheritDoc} */
    @Override
    public EncodedLidar encode(ProjectedPoints p, int width, int height) {
        int n = width * height;
        float[] xs = new float[n];
        float[] ys = new float[n];
        float[] zs = new float[n];
        int landed = WaymoStatistics.rasterise(p, width, height, xs, ys, zs);
        byte[] px = new byte[n * 3];
        minMax(xs, px, 0);
        minMax(ys, px, 1);
        minMax(zs, px, 2);
        return new EncodedLidar(new Image(width, height, 3, px), landed);
    }

    private static void minMax(float[] ch, byte[] px, int offset) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : ch) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        // numpy 1.x: float32 scalar + Python float is float64; the array division then casts it
        // back to float32
        float denom = (float) ((double) (max - min) + 1e-6);
        for (int i = 0; i < ch.length; i++) {
            int q = (int) ((ch[i] - min) / denom * 255f);
            px[i * 3 + offset] = WaymoStatistics.roundTrip(q);
        }
    }
}

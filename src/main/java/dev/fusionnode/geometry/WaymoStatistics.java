package dev.fusionnode.geometry;

/**
 * The Waymo LiDAR standardisation used by the Iseauto and Waymo {@code lidar_png} generators
 * (clft-spec §2.2, §2.3), computed in float64 from the stored (LiDAR-frame) coordinates and stored
 * as float32: {@code X = (y - m0) / s0} (lateral), {@code Y = (z - m1) / s1} (vertical), {@code Z =
 * (x - m2) / s2} (forward).
 */
final class WaymoStatistics {
    static final double[] MEAN = {-0.17263354, 0.85321806, 24.5527253};
    static final double[] STD = {7.34546552, 1.17227659, 15.83745082};

    private WaymoStatistics() {}

    /**
     * Rasterises the standardised channels (float32, 0 where empty, last point wins); returns the
     * landed count.
     */
    static int rasterise(
            ProjectedPoints p, int width, int height, float[] xs, float[] ys, float[] zs) {
        float sx = LidarImageEncoder.scale(width, p.refWidth);
        float sy = LidarImageEncoder.scale(height, p.refHeight);
        return rasterise(p, width, height, sx, sy, xs, ys, zs);
    }

    static int rasterise(
            ProjectedPoints p,
            int width,
            int height,
            float sx,
            float sy,
            float[] xs,
            float[] ys,
            float[] zs) {
        int landed = 0;
        for (int i = 0; i < p.count; i++) {
            int idx = LidarImageEncoder.pixelIndex(p, i, sx, sy, width, height);
            if (idx < 0) {
                continue;
            }
            landed++;
            xs[idx] = (float) (((double) p.sy[i] - MEAN[0]) / STD[0]);
            ys[idx] = (float) (((double) p.sz[i] - MEAN[1]) / STD[1]);
            zs[idx] = (float) (((double) p.sx[i] - MEAN[2]) / STD[2]);
        }
        return landed;
    }

    /**
     * The generators' final {@code uint8(float32(q / 255.0) * 255)} round trip when stacking the
     * channels.
     */
    static byte roundTrip(int q) {
        return (byte) (int) ((q / 255f) * 255f);
    }
}

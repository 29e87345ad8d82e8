package dev.fusionnode.geometry;

import dev.fusionnode.pipeline.Image;
import java.util.Arrays;

/**
 * Iseauto {@code lidar_png} (clft-spec §2.2, AIM {@code xod_pickle_to_png.py}): Waymo-standardised
 * channels, then per channel and frame {@code a} = 95th percentile (linear) of {@code |v|} over the
 * non-zero pixels and {@code uint8(((clip(v / a, -1, 1) + 1) / 2) * 255)}, so empty pixels become
 * 127. RGB order is {@code [X, Y, Z]}. Arithmetic follows numpy 1.x (float32 arrays, float64
 * statistics).
 */
public final class IseautoEncoder implements LidarImageEncoder {

    /** {@inheritDoc} */
    @Override
    public EncodedLidar encode(ProjectedPoints p, int width, int height) {
        int n = width * height;
        float[] xs = new float[n];
        float[] ys = new float[n];
        float[] zs = new float[n];
        int landed = WaymoStatistics.rasterise(p, width, height, xs, ys, zs);
        byte[] px = new byte[n * 3];
        normalise(xs, px, 0);
        normalise(ys, px, 1);
        normalise(zs, px, 2);
        return new EncodedLidar(new Image(width, height, 3, px), landed);
    }

    private static void normalise(float[] ch, byte[] px, int offset) {
        float a = percentile95OfNonZeroAbs(ch);
        if (!(a > 0)) {
            return; // numpy: zeros_like when the percentile is not positive (or NaN for an empty
            // channel)
        }
        for (int i = 0; i < ch.length; i++) {
            float r = ch[i] / a;
            float c = r < -1f ? -1f : (r > 1f ? 1f : r);
            int q = (int) ((c + 1f) / 2f * 255f);
            px[i * 3 + offset] = WaymoStatistics.roundTrip(q);
        }
    }

    /** numpy.percentile(|v[v != 0]|, 95), linear interpolation, as float32. */
    static float percentile95OfNonZeroAbs(float[] ch) {
        int m = 0;
        for (float v : ch) {
            if (v != 0) {
                m++;
            }
        }
        if (m == 0) {
            return Float.NaN;
        }
        float[] abs = new float[m];
        int k = 0;
        for (float v : ch) {
            if (v != 0) {
                abs[k++] = Math.abs(v);
            }
        }
        Arrays.sort(abs);
        double index = 0.95 * (m - 1);
        int lo = (int) Math.floor(index);
        int hi = Math.min(lo + 1, m - 1);
        double t = index - lo;
        float a = abs[lo];
        float b = abs[hi];
        float diff = b - a;
        // numpy's _lerp: a + diff * t, or b - diff * (1 - t) when t >= 0.5, evaluated in float32
        float r = t >= 0.5 ? b - diff * (float) (1 - t) : a + diff * (float) t;
        return r;
    }
}

package dev.fusionnode.synth;

import java.util.SplittableRandom;

/**
 * What the weather and the sensor do to a rendered image before it is stored: rain streaks and snow
 * flakes in front of the lens, the blur of a wet lens, exposure gain at night and sensor noise
 * (stronger in the dark), then quantisation to 8-bit RGB.
 */
final class CameraEffects {
    private static final int LEVELS = 4096;

    /** Display response: 8-bit value of a linear value {@code i / (LEVELS - 1)}. */
    private static final byte[] RESPONSE = new byte[LEVELS];

    static {
        for (int i = 0; i < LEVELS; i++) {
            RESPONSE[i] = (byte) Math.round(255 * Math.pow(i / (double) (LEVELS - 1), 0.9));
        }
    }

    private CameraEffects() {}

    /**
     * Applies the effects of {@code condition} and returns 8-bit RGB; {@code noiseScale} scales the
     * sensor noise (1: as modelled, 0: none).
     */
    static byte[] apply(
            float[] rgb, int w, int h, Condition condition, double noiseScale, long frameSeed) {
        SplittableRandom rnd = new SplittableRandom(frameSeed);
        double scale = w / 640.0;
        if (condition.rain() > 0) {
            int streaks = (int) (260 * condition.rain() * scale * scale);
            double level = condition.night() ? 0.35 : 0.85;
            for (int i = 0; i < streaks; i++) {
                double x = rnd.nextDouble() * w;
                double y = rnd.nextDouble() * h;
                double len = (8 + rnd.nextDouble() * 22) * scale;
                double ang = Math.toRadians(100 + rnd.nextDouble() * 8);
                streak(rgb, w, h, x, y, len, ang, level, 0.22);
            }
        }
        if (condition.snow() > 0) {
            int flakes = (int) (420 * condition.snow() * scale * scale);
            for (int i = 0; i < flakes; i++) {
                double x = rnd.nextDouble() * w;
                double y = rnd.nextDouble() * h;
                double r = (0.7 + rnd.nextDouble() * 1.8) * scale;
                disc(rgb, w, h, x, y, r, 0.97, 0.8);
            }
        }
        if (condition.rain() > 0 || condition.snow() > 0) {
            rgb = boxBlur3(rgb, w, h);
        }
        double gain = condition.night() ? 1.6 : 1.0;
        double readNoise = noiseScale * (condition.night() ? 0.02 : 0.004);
        double shotNoise = noiseScale * (condition.night() ? 0.03 : 0.008);
        byte[] out = new byte[w * h * 3];
        for (int i = 0; i < out.length; i++) {
            double v = rgb[i] * gain;
            double sigma = readNoise + shotNoise * Math.sqrt(Math.max(0, Math.min(1, v)));
            v += sigma * Noise.gaussian(frameSeed, i, 0x5EED);
            v = Math.max(0, Math.min(1, v));
            out[i] = RESPONSE[(int) (v * (LEVELS - 1) + 0.5)];
        }
        return out;
    }

    private static void streak(
            float[] rgb,
            int w,
            int h,
            double x,
            double y,
            double len,
            double ang,
            double level,
            double alpha) {
        double dx = Math.cos(ang);
        double dy = Math.sin(ang);
        for (double s = 0; s < len; s += 0.7) {
            int px = (int) (x + dx * s);
            int py = (int) (y + dy * s);
            if (px < 0 || py < 0 || px >= w || py >= h) {
                continue;
            }
            blend(rgb, 3 * (py * w + px), level, alpha);
        }
    }

    private static void disc(
            float[] rgb, int w, int h, double x, double y, double r, double level, double alpha) {
        int x0 = (int) Math.floor(x - r);
        int x1 = (int) Math.ceil(x + r);
        int y0 = (int) Math.floor(y - r);
        int y1 = (int) Math.ceil(y + r);
        for (int py = Math.max(0, y0); py <= Math.min(h - 1, y1); py++) {
            for (int px = Math.max(0, x0); px <= Math.min(w - 1, x1); px++) {
                double ddx = px + 0.5 - x;
                double ddy = py + 0.5 - y;
                if (ddx * ddx + ddy * ddy <= r * r) {
                    blend(rgb, 3 * (py * w + px), level, alpha);
                }
            }
        }
    }

    private static void blend(float[] rgb, int o, double level, double alpha) {
        for (int c = 0; c < 3; c++) {
            rgb[o + c] = (float) (rgb[o + c] * (1 - alpha) + level * alpha);
        }
    }

    private static float[] boxBlur3(float[] src, int w, int h) {
        float[] tmp = new float[src.length];
        float[] dst = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int xa = Math.max(0, x - 1);
                int xb = Math.min(w - 1, x + 1);
                for (int c = 0; c < 3; c++) {
                    tmp[3 * (y * w + x) + c] =
                            (src[3 * (y * w + xa) + c]
                                            + src[3 * (y * w + x) + c]
                                            + src[3 * (y * w + xb) + c])
                                    / 3f;
                }
            }
        }
        for (int y = 0; y < h; y++) {
            int ya = Math.max(0, y - 1);
            int yb = Math.min(h - 1, y + 1);
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    dst[3 * (y * w + x) + c] =
                            (tmp[3 * (ya * w + x) + c]
                                            + tmp[3 * (y * w + x) + c]
                                            + tmp[3 * (yb * w + x) + c])
                                    / 3f;
                }
            }
        }
        return dst;
    }
}

package dev.fusionnode.geometry;

import dev.fusionnode.pipeline.Image;

/**
 * ZOD "basic" {@code lidar_png} (clft-spec §2.1), bit-exact with the dataset generator:
 * camera-frame {@code Xn = clip((x+50)/100, 0, 1) * 255}, {@code Yn} likewise, {@code Zn =
 * clip(z/100, 0, 1) * 255} in float32, truncated to uint8, the last point on a pixel wins, empty
 * pixels are 0. The generator wrote B=X, G=Y, R=Z with OpenCV, so in RGB order the image is {@code
 * [Z, Y, X]}.
 */
public final class ZodBasicEncoder implements LidarImageEncoder {

    /** {@inheritDoc} */
    @Override
    public EncodedLidar encode(ProjectedPoints p, int width, int height) {
        byte[] px = new byte[width * height * 3];
        float sx = LidarImageEncoder.scale(width, p.refWidth);
        float sy = LidarImageEncoder.scale(height, p.refHeight);
        int landed = 0;
        for (int i = 0; i < p.count; i++) {
            int idx = LidarImageEncoder.pixelIndex(p, i, sx, sy, width, height);
            if (idx < 0) {
                continue;
            }
            landed++;
            write(px, idx, p.cx[i], p.cy[i], p.cz[i]);
        }
        return new EncodedLidar(new Image(width, height, 3, px), landed);
    }

    /** Writes one point's camera-frame coordinates into pixel {@code idx} (RGB = Z, Y, X). */
    static void write(byte[] px, int idx, float cx, float cy, float cz) {
        int o = idx * 3;
        px[o] = (byte) (int) (clamp01(cz / 100f) * 255f);
        px[o + 1] = (byte) (int) (clamp01((cy + 50f) / 100f) * 255f);
        px[o + 2] = (byte) (int) (clamp01((cx + 50f) / 100f) * 255f);
    }

    private static float clamp01(float v) {
        // numpy.clip propagates NaN; NaN then casts to 0 like Java's (int) NaN
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}

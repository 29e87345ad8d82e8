package dev.fusionnode.geometry;

/**
 * Rasterises projected points into the 3-channel uint8 LiDAR image a CLFT model reads (clft-spec
 * §2).
 */
public interface LidarImageEncoder {

    /** Encodes {@code points} into an image of {@code width x height}. */
    EncodedLidar encode(ProjectedPoints points, int width, int height);

    /**
     * Pixel index {@code row * width + col} of point {@code i} scaled from the reference image to
     * {@code width x height} in float32 arithmetic, as the dataset scripts do with numpy float32
     * arrays; -1 when outside.
     */
    static int pixelIndex(
            ProjectedPoints p, int i, float scaleX, float scaleY, int width, int height) {
        return pixelIndex(p.u[i], p.v[i], scaleX, scaleY, width, height);
    }

    /**
     * {@link #pixelIndex(ProjectedPoints, int, float, float, int, int)} for a pixel given directly.
     */
    static int pixelIndex(float u, float v, float scaleX, float scaleY, int width, int height) {
        float su = u * scaleX;
        float sv = v * scaleY;
        if (su >= 0 && su < width && sv >= 0 && sv < height) {
            int col = (int) su;
            int row = (int) sv;
            if (col < width && row < height) {
                return row * width + col;
            }
        }
        return -1;
    }

    /**
     * The float32 scale factor {@code out / ref} as numpy applies a Python float to a float32
     * array.
     */
    static float scale(int out, int ref) {
        return (float) ((double) out / (double) ref);
    }
}

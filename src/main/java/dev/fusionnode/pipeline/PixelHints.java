package dev.fusionnode.pipeline;

import java.util.Objects;

/**
 * Pixel coordinates that a dataset already computed for each LiDAR point (the {@code
 * camera_coordinates} array of the ZOD / Iseauto / Waymo pickles): camera id, u and v in a
 * reference raw image of {@code rawWidth x rawHeight}.
 */
public final class PixelHints {
    private final int[] cameraId;
    private final int[] u;
    private final int[] v;
    private final int rawWidth;
    private final int rawHeight;

    /** Wraps the arrays (ownership passes to this object); all three must have the same length. */
    public PixelHints(int[] cameraId, int[] u, int[] v, int rawWidth, int rawHeight) {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(u, "u");
        Objects.requireNonNull(v, "v");
        if (cameraId.length != u.length || u.length != v.length) {
            throw new IllegalArgumentException("camera id, u and v arrays differ in length");
        }
        this.cameraId = cameraId;
        this.u = u;
        this.v = v;
        this.rawWidth = rawWidth;
        this.rawHeight = rawHeight;
    }

    /** Number of points. */
    public int size() {
        return u.length;
    }

    /** Camera id of point {@code i}. */
    public int cameraId(int i) {
        return cameraId[i];
    }

    /** Raw-image column of point {@code i}. */
    public int u(int i) {
        return u[i];
    }

    /** Raw-image row of point {@code i}. */
    public int v(int i) {
        return v[i];
    }

    /** Width of the raw image the coordinates refer to. */
    public int rawWidth() {
        return rawWidth;
    }

    /** Height of the raw image the coordinates refer to. */
    public int rawHeight() {
        return rawHeight;
    }
}

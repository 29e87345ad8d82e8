package dev.fusionnode.geometry;

/**
 * LiDAR points mapped into a reference image: per point the pixel position {@code (u, v)} in a
 * {@code refWidth x refHeight} image, the point as stored in the scan ({@code sx, sy, sz}) and in
 * the camera's optical frame ({@code cx, cy, cz}). Arrays may be longer than {@link #count()}; only
 * the first {@code count} entries are valid. Built by {@link LidarProjector}; read by the encoders.
 * Not thread-safe to mutate; treated as immutable once built.
 */
public final class ProjectedPoints {
    final int refWidth;
    final int refHeight;
    final float[] u;
    final float[] v;
    final float[] sx;
    final float[] sy;
    final float[] sz;
    final float[] cx;
    final float[] cy;
    final float[] cz;
    final int count;

    ProjectedPoints(
            int refWidth,
            int refHeight,
            float[] u,
            float[] v,
            float[] sx,
            float[] sy,
            float[] sz,
            float[] cx,
            float[] cy,
            float[] cz,
            int count) {
        this.refWidth = refWidth;
        this.refHeight = refHeight;
        this.u = u;
        this.v = v;
        this.sx = sx;
        this.sy = sy;
        this.sz = sz;
        this.cx = cx;
        this.cy = cy;
        this.cz = cz;
        this.count = count;
    }

    /** Number of projected points. */
    public int count() {
        return count;
    }

    /** Width of the image {@code u} refers to. */
    public int refWidth() {
        return refWidth;
    }

    /** Height of the image {@code v} refers to. */
    public int refHeight() {
        return refHeight;
    }

    /**
     * Counts the points whose pixel lies inside the reference image ({@code 0 <= u < width}, {@code
     * 0 <= v < height}).
     */
    public int countInsideReference() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (u[i] >= 0 && u[i] < refWidth && v[i] >= 0 && v[i] < refHeight) {
                n++;
            }
        }
        return n;
    }
}

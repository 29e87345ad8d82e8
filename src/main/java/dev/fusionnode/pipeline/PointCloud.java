package dev.fusionnode.pipeline;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * An immutable set of LiDAR points stored as interleaved float32 {@code (x, y, z, intensity)}
 * records, the KITTI {@code .bin} layout. The owning array is taken without copying; readers get a
 * read-only view.
 */
public final class PointCloud {
    /** Floats per point: x, y, z, intensity. */
    public static final int STRIDE = 4;

    private final float[] xyzi;
    private final int size;

    /**
     * Wraps {@code xyzi} (ownership passes to the cloud).
     *
     * @throws IllegalArgumentException if the length is not a multiple of {@link #STRIDE}
     */
    public PointCloud(float[] xyzi) {
        Objects.requireNonNull(xyzi, "xyzi");
        if (xyzi.length % STRIDE != 0) {
            throw new IllegalArgumentException(
                    "point array length " + xyzi.length + " is not a multiple of 4");
        }
        this.xyzi = xyzi;
        this.size = xyzi.length / STRIDE;
    }

    /** Builds a cloud from xyz triples with zero intensity. */
    public static PointCloud fromXyz(float[] xyz) {
        if (xyz.length % 3 != 0) {
            throw new IllegalArgumentException(
                    "xyz array length " + xyz.length + " is not a multiple of 3");
        }
        int n = xyz.length / 3;
        float[] out = new float[n * STRIDE];
        for (int i = 0; i < n; i++) {
            out[i * 4] = xyz[i * 3];
            out[i * 4 + 1] = xyz[i * 3 + 1];
            out[i * 4 + 2] = xyz[i * 3 + 2];
        }
        return new PointCloud(out);
    }

    /** Number of points. */
    public int size() {
        return size;
    }

    /** X of point {@code i}. */
    public float x(int i) {
        return xyzi[i * STRIDE];
    }

    /** Y of point {@code i}. */
    public float y(int i) {
        return xyzi[i * STRIDE + 1];
    }

    /** Z of point {@code i}. */
    public float z(int i) {
        return xyzi[i * STRIDE + 2];
    }

    /** Intensity (reflectance) of point {@code i}. */
    public float intensity(int i) {
        return xyzi[i * STRIDE + 3];
    }

    /** Read-only view of the interleaved records. */
    public FloatBuffer buffer() {
        return FloatBuffer.wrap(xyzi).asReadOnlyBuffer();
    }

    /**
     * Raw access for hot loops inside the project (projection kernels). Callers must not write to
     * it.
     *
     * @return the backing array
     */
    public float[] unsafeArray() {
        return xyzi;
    }
}

package dev.fusionnode.calib;

import java.util.Arrays;

/** An immutable 4x4 homogeneous transform, row-major, in double precision. */
public final class RigidTransform {
    private static final RigidTransform IDENTITY =
            new RigidTransform(new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});

    private final double[] m;

    private RigidTransform(double[] m) {
        this.m = m;
    }

    /** The identity transform. */
    public static RigidTransform identity() {
        return IDENTITY;
    }

    /**
     * Builds a transform from 16 (4x4) or 12 (3x4, last row implied) row-major values.
     *
     * @throws IllegalArgumentException on a wrong count or a non-finite value
     */
    public static RigidTransform of(double... values) {
        double[] m;
        if (values.length == 16) {
            m = values.clone();
        } else if (values.length == 12) {
            m = Arrays.copyOf(values, 16);
            m[15] = 1;
        } else {
            throw new IllegalArgumentException(
                    "a transform needs 12 or 16 values, got " + values.length);
        }
        for (double v : m) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        "transform contains a non-finite value: " + Arrays.toString(values));
            }
        }
        return new RigidTransform(m);
    }

    /** Embeds a 3x3 rotation (row-major, 9 values) with zero translation. */
    public static RigidTransform ofRotation(double... r) {
        if (r.length != 9) {
            throw new IllegalArgumentException("a rotation needs 9 values, got " + r.length);
        }
        return of(r[0], r[1], r[2], 0, r[3], r[4], r[5], 0, r[6], r[7], r[8], 0);
    }

    /** A pure translation. */
    public static RigidTransform ofTranslation(double tx, double ty, double tz) {
        return of(1, 0, 0, tx, 0, 1, 0, ty, 0, 0, 1, tz);
    }

    /** Element at row {@code r}, column {@code c}. */
    public double get(int r, int c) {
        return m[r * 4 + c];
    }

    /** Returns a copy of the 16 row-major values. */
    public double[] toArray() {
        return m.clone();
    }

    /** Returns {@code this * other} (apply {@code other} first). */
    public RigidTransform compose(RigidTransform other) {
        double[] o = other.m;
        double[] r = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += m[i * 4 + k] * o[k * 4 + j];
                }
                r[i * 4 + j] = s;
            }
        }
        return new RigidTransform(r);
    }

    /** Inverse of a rigid (rotation + translation) transform. */
    public RigidTransform inverseRigid() {
        double[] r = new double[16];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[i * 4 + j] = m[j * 4 + i];
            }
        }
        for (int i = 0; i < 3; i++) {
            r[i * 4 + 3] = -(r[i * 4] * m[3] + r[i * 4 + 1] * m[7] + r[i * 4 + 2] * m[11]);
        }
        r[15] = 1;
        return new RigidTransform(r);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RigidTransform t && Arrays.equals(m, t.m);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(m);
    }

    @Override
    public String toString() {
        return "RigidTransform" + Arrays.toString(m);
    }
}

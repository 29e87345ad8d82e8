package dev.fusionnode.synth;

import dev.fusionnode.calib.RigidTransform;

/**
 * A rigid transform {@code p' = R p + t} mapping points of a child frame into a parent frame
 * (sensor into vehicle, vehicle into world).
 */
record Pose(double[] r, double[] t) {
    static final Pose IDENTITY = new Pose(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);

    /** Rotation about z by {@code yaw}, then about the new y by {@code pitch}, then x by roll. */
    static Pose of(double x, double y, double z, double yaw, double pitch, double roll) {
        double cy = Math.cos(yaw);
        double sy = Math.sin(yaw);
        double cp = Math.cos(pitch);
        double sp = Math.sin(pitch);
        double cr = Math.cos(roll);
        double sr = Math.sin(roll);
        double[] r = {
            cy * cp,
            cy * sp * sr - sy * cr,
            cy * sp * cr + sy * sr,
            sy * cp,
            sy * sp * sr + cy * cr,
            sy * sp * cr - cy * sr,
            -sp,
            cp * sr,
            cp * cr
        };
        return new Pose(r, new double[] {x, y, z});
    }

    /**
     * A camera's optical frame (x right, y down, z forward) mounted at {@code (x, y, z)} in a
     * vehicle frame (x forward, y left, z up), looking forward and pitched down by {@code pitch}.
     */
    static Pose opticalMount(double x, double y, double z, double yaw, double pitch) {
        // columns: optical x -> -y, optical y -> -z, optical z -> +x
        Pose base = new Pose(new double[] {0, 0, 1, -1, 0, 0, 0, -1, 0}, new double[3]);
        return of(x, y, z, yaw, pitch, 0).compose(base);
    }

    /** {@code this * other}: first {@code other}, then this. */
    Pose compose(Pose o) {
        double[] m = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                m[3 * i + j] =
                        r[3 * i] * o.r[j] + r[3 * i + 1] * o.r[3 + j] + r[3 * i + 2] * o.r[6 + j];
            }
        }
        double[] tt = new double[3];
        for (int i = 0; i < 3; i++) {
            tt[i] = r[3 * i] * o.t[0] + r[3 * i + 1] * o.t[1] + r[3 * i + 2] * o.t[2] + t[i];
        }
        return new Pose(m, tt);
    }

    /** The inverse transform. */
    Pose inverse() {
        double[] m = {r[0], r[3], r[6], r[1], r[4], r[7], r[2], r[5], r[8]};
        double[] tt = new double[3];
        for (int i = 0; i < 3; i++) {
            tt[i] = -(m[3 * i] * t[0] + m[3 * i + 1] * t[1] + m[3 * i + 2] * t[2]);
        }
        return new Pose(m, tt);
    }

    /** Applies the transform to a point, writing into {@code out}. */
    void apply(double x, double y, double z, double[] out) {
        out[0] = r[0] * x + r[1] * y + r[2] * z + t[0];
        out[1] = r[3] * x + r[4] * y + r[5] * z + t[1];
        out[2] = r[6] * x + r[7] * y + r[8] * z + t[2];
    }

    /** Rotates a direction, writing into {@code out}. */
    void rotate(double x, double y, double z, double[] out) {
        out[0] = r[0] * x + r[1] * y + r[2] * z;
        out[1] = r[3] * x + r[4] * y + r[5] * z;
        out[2] = r[6] * x + r[7] * y + r[8] * z;
    }

    /** From the node's 4x4 transform type (its rotation and translation). */
    static Pose of(RigidTransform t) {
        return new Pose(
                new double[] {
                    t.get(0, 0), t.get(0, 1), t.get(0, 2),
                    t.get(1, 0), t.get(1, 1), t.get(1, 2),
                    t.get(2, 0), t.get(2, 1), t.get(2, 2)
                },
                new double[] {t.get(0, 3), t.get(1, 3), t.get(2, 3)});
    }

    /** As the node's 4x4 transform type. */
    RigidTransform toRigidTransform() {
        return RigidTransform.of(
                r[0], r[1], r[2], t[0], r[3], r[4], r[5], t[1], r[6], r[7], r[8], t[2]);
    }
}

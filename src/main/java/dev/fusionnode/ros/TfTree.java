package dev.fusionnode.ros;

import dev.fusionnode.calib.RigidTransform;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The static transforms of a bag ({@code /tf_static}, {@code tf2_msgs/msg/TFMessage}): each frame's
 * pose in its parent, so that the transform between any two frames of one tree is found by going up
 * to their common root. Not thread-safe.
 */
public final class TfTree {
    /** A transform as TF states it: the child frame's pose in the parent frame. */
    public record Edge(String parent, String child, RigidTransform parentFromChild) {}

    private final Map<String, Edge> byChild = new HashMap<>();

    /** Adds (or replaces) a child frame's pose. */
    public void add(Edge e) {
        byChild.put(e.child(), e);
    }

    /**
     * Adds a child frame's pose unless it is known already (a {@code /tf} transform does not
     * replace one from {@code /tf_static}, and the first of a moving one is kept).
     */
    public void addIfAbsent(Edge e) {
        byChild.putIfAbsent(e.child(), e);
    }

    /** Frames known. */
    public int size() {
        return byChild.size();
    }

    /** The transform mapping points of frame {@code from} into frame {@code to}, if connected. */
    public Optional<RigidTransform> transform(String from, String to) {
        Optional<Root> a = toRoot(from);
        Optional<Root> b = toRoot(to);
        if (a.isEmpty() || b.isEmpty() || !a.get().root().equals(b.get().root())) {
            return Optional.empty();
        }
        return Optional.of(b.get().rootFromFrame().inverseRigid().compose(a.get().rootFromFrame()));
    }

    private record Root(String root, RigidTransform rootFromFrame) {}

    private Optional<Root> toRoot(String frame) {
        RigidTransform t = RigidTransform.identity();
        String at = strip(frame);
        Set<String> seen = new HashSet<>();
        while (byChild.containsKey(at)) {
            if (!seen.add(at)) {
                return Optional.empty(); // a cycle is no tree
            }
            Edge e = byChild.get(at);
            t = e.parentFromChild().compose(t);
            at = strip(e.parent());
        }
        return Optional.of(new Root(at, t));
    }

    /** TF names may carry a leading slash (ROS 1 habit); they mean the same frame. */
    static String strip(String frame) {
        return frame.startsWith("/") ? frame.substring(1) : frame;
    }

    /** A transform's rotation as a unit quaternion (x, y, z, w), as TF states it. */
    public static double[] toQuaternion(RigidTransform t) {
        double[] m = t.toArray();
        double trace = m[0] + m[5] + m[10];
        double x;
        double y;
        double z;
        double w;
        if (trace > 0) {
            double s = Math.sqrt(trace + 1) * 2;
            w = s / 4;
            x = (m[9] - m[6]) / s;
            y = (m[2] - m[8]) / s;
            z = (m[4] - m[1]) / s;
        } else if (m[0] > m[5] && m[0] > m[10]) {
            double s = Math.sqrt(1 + m[0] - m[5] - m[10]) * 2;
            w = (m[9] - m[6]) / s;
            x = s / 4;
            y = (m[1] + m[4]) / s;
            z = (m[2] + m[8]) / s;
        } else if (m[5] > m[10]) {
            double s = Math.sqrt(1 + m[5] - m[0] - m[10]) * 2;
            w = (m[2] - m[8]) / s;
            x = (m[1] + m[4]) / s;
            y = s / 4;
            z = (m[6] + m[9]) / s;
        } else {
            double s = Math.sqrt(1 + m[10] - m[0] - m[5]) * 2;
            w = (m[4] - m[1]) / s;
            x = (m[2] + m[8]) / s;
            y = (m[6] + m[9]) / s;
            z = s / 4;
        }
        return new double[] {x, y, z, w};
    }

    /** A translation and a unit quaternion (x, y, z, w) as a transform. */
    public static RigidTransform fromQuaternion(
            double tx, double ty, double tz, double qx, double qy, double qz, double qw) {
        double n = Math.sqrt(qx * qx + qy * qy + qz * qz + qw * qw);
        double x = qx / n;
        double y = qy / n;
        double z = qz / n;
        double w = qw / n;
        return RigidTransform.of(
                1 - 2 * (y * y + z * z),
                2 * (x * y - z * w),
                2 * (x * z + y * w),
                tx,
                2 * (x * y + z * w),
                1 - 2 * (x * x + z * z),
                2 * (y * z - x * w),
                ty,
                2 * (x * z - y * w),
                2 * (y * z + x * w),
                1 - 2 * (x * x + y * y),
                tz);
    }
}

package dev.fusionnode.cli;

import dev.fusionnode.calib.Rig;
import dev.fusionnode.calib.RigidTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code inspect rig.json} prints: each camera's model, image, field of view, where it sits
 * and looks (azimuth 0 is forward, 90 left), the LiDARs, which cameras' views overlap, and checks
 * (rotations that are not rotations, cameras looking up or down, cameras no LiDAR is calibrated
 * against).
 */
final class RigReport {
    private RigReport() {}

    static String of(Rig rig) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "rig: %d cameras, %d LiDARs%n",
                        rig.cameras().size(),
                        rig.lidars().size()));
        List<String> problems = new ArrayList<>();
        for (Rig.Camera c : rig.cameras()) {
            double[] axis = c.opticalAxis();
            RigidTransform t = c.cameraToVehicle();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  camera %-12s %s %dx%d, hfov %.1f deg, at (%.2f, %.2f, %.2f) m,"
                                    + " looking azimuth %.1f deg, elevation %.1f deg%s%n",
                            c.id(),
                            c.model().modelName(),
                            c.width(),
                            c.height(),
                            c.horizontalFovDegrees(),
                            t.get(0, 3),
                            t.get(1, 3),
                            t.get(2, 3),
                            azimuth(axis),
                            elevation(axis),
                            c.measured().map(m -> ", calibrated against " + m.lidar()).orElse("")));
            double det = determinant(t);
            if (Math.abs(det - 1) > 1e-3) {
                problems.add(
                        String.format(
                                Locale.ROOT,
                                "camera %s: cameraToVehicle is not a rotation (determinant %.4f)",
                                c.id(),
                                det));
            }
            if (Math.abs(elevation(axis)) > 45) {
                problems.add(
                        String.format(
                                Locale.ROOT,
                                "camera %s looks %.0f deg %s: is its extrinsic in the optical frame"
                                        + " (x right, y down, z forward)?",
                                c.id(),
                                Math.abs(elevation(axis)),
                                elevation(axis) > 0 ? "up" : "down"));
            }
        }
        for (Rig.Lidar l : rig.lidars()) {
            RigidTransform t = l.lidarToVehicle();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  lidar  %-12s %s at (%.2f, %.2f, %.2f) m: projects into %s%n",
                            l.id(),
                            l.model().isEmpty() ? "(model not given)" : l.model(),
                            t.get(0, 3),
                            t.get(1, 3),
                            t.get(2, 3),
                            rig.cameraIds()));
        }
        if (rig.lidars().isEmpty()) {
            problems.add("no LiDAR: frames go camera-only");
        }
        List<String> overlaps = new ArrayList<>();
        List<Rig.Camera> cams = rig.cameras();
        for (int i = 0; i < cams.size(); i++) {
            for (int j = i + 1; j < cams.size(); j++) {
                Rig.Camera a = cams.get(i);
                Rig.Camera b = cams.get(j);
                double between = angle(a.opticalAxis(), b.opticalAxis());
                double shared = (a.horizontalFovDegrees() + b.horizontalFovDegrees()) / 2 - between;
                if (shared > 0) {
                    overlaps.add(
                            String.format(Locale.ROOT, "%s/%s %.1f deg", a.id(), b.id(), shared));
                }
            }
        }
        sb.append("  overlaps: ").append(overlaps.isEmpty() ? "none" : String.join(", ", overlaps));
        sb.append(System.lineSeparator());
        sb.append("  checks: ").append(problems.isEmpty() ? "ok" : String.join("; ", problems));
        return sb.toString().stripTrailing();
    }

    private static double azimuth(double[] v) {
        return Math.toDegrees(Math.atan2(v[1], v[0]));
    }

    private static double elevation(double[] v) {
        return Math.toDegrees(Math.atan2(v[2], Math.hypot(v[0], v[1])));
    }

    /** Angle between the horizontal projections of two directions, degrees. */
    private static double angle(double[] a, double[] b) {
        double d = Math.abs(azimuth(a) - azimuth(b)) % 360;
        return d > 180 ? 360 - d : d;
    }

    private static double determinant(RigidTransform t) {
        return t.get(0, 0) * (t.get(1, 1) * t.get(2, 2) - t.get(1, 2) * t.get(2, 1))
                - t.get(0, 1) * (t.get(1, 0) * t.get(2, 2) - t.get(1, 2) * t.get(2, 0))
                + t.get(0, 2) * (t.get(1, 0) * t.get(2, 1) - t.get(1, 1) * t.get(2, 0));
    }
}

package dev.fusionnode.projection;

import dev.fusionnode.calib.Rig;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Merges the scans of a rig's LiDARs into the frame of the one a camera frame was paired with: the
 * other scans' points are moved through the vehicle frame and appended, so that one projection with
 * the camera's calibration against the paired LiDAR lands them all. Scans of LiDARs the rig does
 * not list, or taken in the camera's frame, are left out. Stateless.
 */
final class ScanMerger {
    private ScanMerger() {}

    /** {@code paired} with the points of {@code others} in its frame, or {@code paired} alone. */
    static LidarScan merge(LidarScan paired, List<LidarScan> others, Rig rig) {
        if (others.isEmpty() || !LidarScan.FRAME_LIDAR.equals(paired.frameId())) {
            return paired;
        }
        int total = paired.points().size();
        for (LidarScan o : others) {
            total += o.points().size();
        }
        float[] xyzi = new float[total * PointCloud.STRIDE];
        int at = copy(paired.points(), RigidTransform.identity(), xyzi, 0);
        for (LidarScan o : others) {
            Optional<RigidTransform> t = rig.lidarToLidar(o.sensorId(), paired.sensorId());
            if (t.isPresent() && LidarScan.FRAME_LIDAR.equals(o.frameId())) {
                at = copy(o.points(), t.get(), xyzi, at);
            }
        }
        float[] used = at == xyzi.length ? xyzi : Arrays.copyOf(xyzi, at);
        return new LidarScan(
                paired.sensorId(),
                paired.seq(),
                paired.timeNs(),
                paired.frameId(),
                new PointCloud(used),
                Optional.empty(),
                paired.origin());
    }

    /** Appends {@code points} moved by {@code t} at float index {@code at}; returns the end. */
    private static int copy(PointCloud points, RigidTransform t, float[] out, int at) {
        double[] m = t.toArray();
        for (int i = 0; i < points.size(); i++) {
            double x = points.x(i);
            double y = points.y(i);
            double z = points.z(i);
            out[at++] = (float) (m[0] * x + m[1] * y + m[2] * z + m[3]);
            out[at++] = (float) (m[4] * x + m[5] * y + m[6] * z + m[7]);
            out[at++] = (float) (m[8] * x + m[9] * y + m[10] * z + m[11]);
            out[at++] = points.intensity(i);
        }
        return at;
    }
}

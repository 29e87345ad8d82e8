package dev.fusionnode.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.calib.Rig;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The points of a rig's second LiDAR land in the first one's frame where the first sees them. */
class ScanMergerTest {
    private static final RigidTransform ROOF = RigidTransform.ofTranslation(0.9, 0, 1.8);
    private static final RigidTransform REAR =
            RigidTransform.of(-1, 0, 0, -0.8, 0, -1, 0, 0.1, 0, 0, 1, 0.6, 0, 0, 0, 1);

    private static final Rig RIG =
            new Rig(
                    List.of(
                            new Rig.Camera(
                                    "front",
                                    64,
                                    48,
                                    PinholeCamera.ideal(50, 50, 32, 24),
                                    RigidTransform.of(
                                            0, 0, 1, 1.7, -1, 0, 0, 0, 0, -1, 0, 1.5, 0, 0, 0, 1),
                                    Optional.empty())),
                    List.of(
                            new Rig.Lidar("roof", "HDL-32E", ROOF),
                            new Rig.Lidar("rear", "VLP-16", REAR),
                            new Rig.Lidar("side", "VLP-16", RigidTransform.identity())));

    private static float[] seen(RigidTransform lidarToVehicle, double[] vehicle, float intensity) {
        double[] m = lidarToVehicle.inverseRigid().toArray();
        float[] p = new float[4];
        for (int r = 0; r < 3; r++) {
            p[r] =
                    (float)
                            (m[4 * r] * vehicle[0]
                                    + m[4 * r + 1] * vehicle[1]
                                    + m[4 * r + 2] * vehicle[2]
                                    + m[4 * r + 3]);
        }
        p[3] = intensity;
        return p;
    }

    @Test
    void theSecondLidarsPointsJoinInTheFirstsFrame() {
        double[] a = {-6.0, 2.0, 0.5}; // behind the car: only the rear LiDAR saw it
        double[] b = {12.0, -1.0, 0.3};
        LidarScan roof = LidarScan.of("roof", 1, 100, new PointCloud(seen(ROOF, b, 7)), "roof");
        LidarScan rear = LidarScan.of("rear", 1, 105, new PointCloud(seen(REAR, a, 9)), "rear");
        LidarScan unknown =
                LidarScan.of("left", 1, 105, new PointCloud(seen(ROOF, a, 1)), "not in the rig");
        LidarScan merged = ScanMerger.merge(roof, List.of(rear, unknown), RIG);
        assertThat(merged.sensorId()).isEqualTo("roof");
        assertThat(merged.points().size()).isEqualTo(2);
        float[] expected = seen(ROOF, a, 9);
        assertThat(merged.points().x(1)).isCloseTo(expected[0], within(1e-5f));
        assertThat(merged.points().y(1)).isCloseTo(expected[1], within(1e-5f));
        assertThat(merged.points().z(1)).isCloseTo(expected[2], within(1e-5f));
        assertThat(merged.points().intensity(1)).isEqualTo(9f);
        assertThat(merged.points().x(0)).isEqualTo(roof.points().x(0));
    }

    @Test
    void aloneOrInTheCameraFrameAScanStaysAsItIs() {
        LidarScan roof =
                LidarScan.of("roof", 1, 100, new PointCloud(new float[] {1, 2, 3, 4}), "roof");
        assertThat(ScanMerger.merge(roof, List.of(), RIG)).isSameAs(roof);
    }
}

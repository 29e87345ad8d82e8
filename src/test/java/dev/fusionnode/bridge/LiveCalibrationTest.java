package dev.fusionnode.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.ros.SensorMessages;
import dev.fusionnode.ros.TfTree;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A calibration is given once the camera info, the LiDAR's frame and a transform between them are
 * known; a repeated camera info gives nothing, a changed one gives the new calibration.
 */
class LiveCalibrationTest {
    private static SensorMessages.Stamped<SensorMessages.CameraIntrinsics> info(double fx) {
        return new SensorMessages.Stamped<>(
                0,
                "camera",
                new SensorMessages.CameraIntrinsics(
                        1242, 375, new PinholeCamera(fx, fx, 600, 180, 0, 0, 0, 0, 0)));
    }

    @Test
    void givenOnceWhenCompleteAndAgainWhenChanged() {
        LiveCalibration c = new LiveCalibration();
        c.camera("front", info(721.5));
        c.lidarFrame("top", "velodyne");
        assertThat(c.changes()).isEmpty();
        c.transforms(
                List.of(
                        new TfTree.Edge(
                                "camera", "velodyne", RigidTransform.ofTranslation(0.1, 0, 0))),
                true);
        var first = c.changes();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).cameraId()).isEqualTo("front");
        assertThat(first.get(0).lidarId()).isEqualTo("top");
        c.camera("front", info(721.5));
        assertThat(c.changes()).isEmpty();
        c.camera("front", info(700));
        assertThat(c.changes()).hasSize(1);
        // a /tf edge does not replace the static one
        c.transforms(
                List.of(
                        new TfTree.Edge(
                                "camera", "velodyne", RigidTransform.ofTranslation(9, 9, 9))),
                false);
        assertThat(c.changes()).isEmpty();
    }
}

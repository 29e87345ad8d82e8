package dev.fusionnode.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusionnode.TestData;
import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.calib.Rig;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.io.CalibrationFiles;
import dev.fusionnode.io.JsonCalibration;
import dev.fusionnode.io.KittiScanReader;
import dev.fusionnode.io.RigFiles;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Projecting a real KITTI scan through a rig equals, point for point, projecting it with each
 * camera's own calibration file; cameras placed in the vehicle frame and other LiDARs go through
 * the vehicle frame consistently.
 */
class RigProjectionTest {
    private static final int W = 1242;
    private static final int H = 375;

    @TempDir Path dir;

    private final Path kittiCalib = TestData.kitti().resolve("calib/000000.txt");
    private final Calibration front = CalibrationFiles.read(kittiCalib, W, H);
    private final LidarScan scan =
            LidarScan.of(
                    "top",
                    0,
                    0,
                    KittiScanReader.read(TestData.kitti().resolve("velodyne/000000.bin")),
                    "000000");

    /** The front camera's extrinsic turned by {@code degrees} about the LiDAR's vertical axis. */
    private Calibration turned(double degrees) {
        double a = Math.toRadians(degrees);
        RigidTransform yaw =
                RigidTransform.ofRotation(
                        Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1);
        return new Calibration(W, H, front.camera(), front.lidarToCamera().compose(yaw));
    }

    private static JsonArray numbers(double[] v) {
        JsonArray a = new JsonArray();
        for (double d : v) {
            a.add(d);
        }
        return a;
    }

    private Path rigFile() throws Exception {
        Path left = dir.resolve("left.json");
        Files.writeString(left, JsonCalibration.toJson(turned(-60)).encodePrettily());
        Calibration rear = turned(180);
        PinholeCamera k = (PinholeCamera) rear.camera();
        JsonObject rig =
                new JsonObject()
                        .put(
                                "lidars",
                                new JsonArray()
                                        .add(
                                                new JsonObject()
                                                        .put("id", "top")
                                                        .put("model", "HDL-64E")
                                                        .put(
                                                                "lidarToVehicle",
                                                                numbers(
                                                                        RigidTransform
                                                                                .ofTranslation(
                                                                                        0.3, 0, 1.7)
                                                                                .toArray()))))
                        .put(
                                "cameras",
                                new JsonArray()
                                        .add(
                                                new JsonObject()
                                                        .put("id", "front")
                                                        .put("calibration", kittiCalib.toString())
                                                        .put(
                                                                "image",
                                                                new JsonObject()
                                                                        .put("width", W)
                                                                        .put("height", H))
                                                        .put("lidar", "top"))
                                        .add(
                                                new JsonObject()
                                                        .put("id", "left")
                                                        .put("calibration", "left.json")
                                                        .put("lidar", "top"))
                                        .add(
                                                new JsonObject()
                                                        .put("id", "rear")
                                                        .put(
                                                                "image",
                                                                new JsonObject()
                                                                        .put("width", W)
                                                                        .put("height", H))
                                                        .put(
                                                                "K",
                                                                new JsonArray()
                                                                        .add(k.fx())
                                                                        .add(0)
                                                                        .add(k.cx())
                                                                        .add(0)
                                                                        .add(k.fy())
                                                                        .add(k.cy())
                                                                        .add(0)
                                                                        .add(0)
                                                                        .add(1))
                                                        .put(
                                                                "lidarToCamera",
                                                                numbers(
                                                                        rear.lidarToCamera()
                                                                                .toArray()))
                                                        .put("lidar", "top")));
        Path file = dir.resolve("rig.json");
        Files.writeString(file, rig.encodePrettily());
        return file;
    }

    @Test
    void throughTheRigEqualsEachCamerasOwnCalibration() throws Exception {
        Rig rig = RigFiles.read(rigFile());
        LidarProjector projector = new LidarProjector(0.5);
        Map<String, Calibration> own =
                Map.of(
                        "front", front,
                        "left", CalibrationFiles.read(dir.resolve("left.json"), 0, 0),
                        "rear", turned(180));
        for (var e : own.entrySet()) {
            ProjectedPoints viaRig =
                    projector.project(scan, rig.calibration(e.getKey(), "top").orElseThrow());
            ProjectedPoints viaFile = projector.project(scan, e.getValue());
            assertThat(viaRig.count()).as(e.getKey()).isEqualTo(viaFile.count()).isPositive();
            assertThat(viaRig.u).as(e.getKey()).isEqualTo(viaFile.u);
            assertThat(viaRig.v).as(e.getKey()).isEqualTo(viaFile.v);
        }
        // the three cameras see different parts of the scan
        assertThat(projector.project(scan, rig.calibration("front", "top").orElseThrow()).u)
                .isNotEqualTo(
                        projector.project(scan, rig.calibration("left", "top").orElseThrow()).u);
        assertThat(rig.camera("left").orElseThrow().opticalAxis()[1])
                .as("the left camera looks to the left (+y)")
                .isGreaterThan(0.8);
    }

    @Test
    void aCameraPlacedInTheVehicleFrameProjectsAsItsMeasuredCalibration() throws Exception {
        Rig measured = RigFiles.read(rigFile());
        // the same rig written with every camera placed in the vehicle frame, then read back
        Path placed = dir.resolve("placed.json");
        Files.writeString(placed, RigFiles.toJson(measured).encodePrettily());
        Rig rig = RigFiles.read(placed);
        LidarProjector projector = new LidarProjector(0.5);
        for (String camera : rig.cameraIds()) {
            ProjectedPoints composed =
                    projector.project(scan, rig.calibration(camera, "top").orElseThrow());
            ProjectedPoints direct =
                    projector.project(scan, measured.calibration(camera, "top").orElseThrow());
            assertThat(composed.count()).as(camera).isEqualTo(direct.count());
            for (int i = 0; i < direct.count(); i++) {
                assertThat(composed.u[i]).isCloseTo(direct.u[i], within(1e-3f));
                assertThat(composed.v[i]).isCloseTo(direct.v[i], within(1e-3f));
            }
        }
    }

    @Test
    void aSecondLidarSeesThePointWhereTheFirstDoes() throws Exception {
        RigidTransform topToVehicle = RigidTransform.ofTranslation(0.3, 0, 1.7);
        RigidTransform rearToVehicle =
                RigidTransform.of(-1, 0, 0, -2.0, 0, -1, 0, 0.1, 0, 0, 1, 0.9, 0, 0, 0, 1);
        Rig one = RigFiles.read(rigFile());
        Rig rig =
                new Rig(
                        one.cameras(),
                        List.of(
                                one.lidars().get(0),
                                new Rig.Lidar("rear_lidar", "VLP-16", rearToVehicle)));
        double[] vehicle = {12.0, -1.5, 0.8};
        float[] top = apply(topToVehicle.inverseRigid(), vehicle);
        float[] rear = apply(rearToVehicle.inverseRigid(), vehicle);
        LidarProjector projector = new LidarProjector(0.5);
        ProjectedPoints a =
                projector.project(
                        LidarScan.of("top", 0, 0, new PointCloud(top), "p"),
                        rig.calibration("front", "top").orElseThrow());
        ProjectedPoints b =
                projector.project(
                        LidarScan.of("rear_lidar", 0, 0, new PointCloud(rear), "p"),
                        rig.calibration("front", "rear_lidar").orElseThrow());
        assertThat(a.count()).isEqualTo(1);
        assertThat(b.count()).isEqualTo(1);
        assertThat(b.u[0]).isCloseTo(a.u[0], within(1e-3f));
        assertThat(b.v[0]).isCloseTo(a.v[0], within(1e-3f));
    }

    private static float[] apply(RigidTransform t, double[] p) {
        float[] out = new float[4];
        for (int r = 0; r < 3; r++) {
            out[r] =
                    (float)
                            (t.get(r, 0) * p[0]
                                    + t.get(r, 1) * p[1]
                                    + t.get(r, 2) * p[2]
                                    + t.get(r, 3));
        }
        return out;
    }

    @Test
    void aMalformedRigIsNamed() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(
                bad,
                "{\"cameras\": [{\"id\": \"front\", \"calibration\": \"x.json\", \"lidar\": \"roof\"}]}");
        assertThatThrownBy(() -> RigFiles.read(bad))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("bad.json")
                .hasMessageContaining("camera 'front'")
                .hasMessageContaining("no LiDAR 'roof'");
    }
}

package dev.fusionnode.ros;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.TestData;
import dev.fusionnode.calib.Calibration;
import dev.fusionnode.cli.FusionNode;
import dev.fusionnode.geometry.LidarProjector;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.KittiCalibration;
import dev.fusionnode.io.KittiScanReader;
import dev.fusionnode.mcap.McapReader;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.replay.ReplayPlaylist;
import dev.fusionnode.replay.Ros2BagDrive;
import dev.fusionnode.testutil.Console;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A ROS 2 bag of KITTI frame 000000 written by others (npm {@code @mcap/core}, messages serialised
 * by {@code @foxglove/rosmsg2-serialization}) decodes to the frame's own pixels and points: the
 * image with padded rows, the PNG of the compressed image, and a PointCloud2 with a padded point
 * step, whose projection lands the 20,285 points KITTI's frame is known for.
 */
class Ros2BagIT {
    private static final long STAMP = 1_700_000_000_123_456_789L;

    @TempDir static Path dir;
    private static Path bag;
    private static Image kittiImage;

    @BeforeAll
    static void writeBag() throws Exception {
        Peer.requireNpm("@mcap/core", "@foxglove/rosmsg2-serialization", "@foxglove/rosmsg");
        Path png = TestData.kitti().resolve("image_2/000000.png");
        kittiImage = ImageCodec.read(png, ImageCodec.Channels.RGB);
        byte[] rgb = new byte[kittiImage.pixels().capacity()];
        kittiImage.pixels().get(0, rgb);
        Path raw = dir.resolve("000000.rgb");
        Files.write(raw, rgb);
        bag = dir.resolve("kitti.mcap");
        writeBag(raw, png, bag);
        // the same frame with its camera info and the LiDAR's pose in /tf_static
        Calibration k =
                KittiCalibration.read(
                        TestData.kitti().resolve("calib/000000.txt"),
                        kittiImage.width(),
                        kittiImage.height());
        double[] m = k.lidarToCamera().toArray();
        double[] q = quaternion(m);
        calibratedBag = dir.resolve("kitti-calibrated.mcap");
        writeBag(
                raw,
                png,
                calibratedBag,
                k.camera().fx(),
                k.camera().fy(),
                k.camera().cx(),
                k.camera().cy(),
                m[3],
                m[7],
                m[11],
                q[0],
                q[1],
                q[2],
                q[3]);
    }

    private static Path calibratedBag;

    private static void writeBag(Path raw, Path png, Path out, double... calibration)
            throws Exception {
        List<String> cmd =
                new java.util.ArrayList<>(
                        List.of(
                                "node",
                                Path.of("src/test/js/ros2_bag.mjs").toString(),
                                NpmPeers.prefix().resolve("node_modules").toString(),
                                raw.toString(),
                                Integer.toString(kittiImage.width()),
                                Integer.toString(kittiImage.height()),
                                "8",
                                png.toString(),
                                TestData.kitti().resolve("velodyne/000000.bin").toString(),
                                Long.toString(STAMP),
                                out.toString()));
        for (double v : calibration) {
            cmd.add(Double.toString(v));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
    }

    /** The unit quaternion (x, y, z, w) of a 4x4 row-major transform's rotation. */
    private static double[] quaternion(double[] m) {
        double trace = m[0] + m[5] + m[10];
        double w;
        double x;
        double y;
        double z;
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

    /** The messages of the bag by topic, with their schema and encodings checked. */
    private static Map<String, byte[]> messages() throws Exception {
        Map<String, byte[]> out = new HashMap<>();
        try (McapReader r = McapReader.open(bag)) {
            for (McapReader.MessageRef m : r.messages()) {
                McapReader.Channel c = r.channels().get(m.channelId());
                assertThat(c.messageEncoding()).isEqualTo("cdr");
                assertThat(r.schemas().get(c.schemaId()).encoding()).isEqualTo("ros2msg");
                out.put(c.topic(), r.data(m));
            }
        }
        return out;
    }

    @Test
    void anImageWithPaddedRowsDecodesToTheFramesPixels() throws Exception {
        SensorMessages.Stamped<Image> image =
                SensorMessages.image(messages().get("/camera/image_raw"), "image_raw");
        assertThat(image.stampNs()).isEqualTo(STAMP);
        assertThat(image.frameId()).isEqualTo("camera");
        assertThat(image.value().samePixels(kittiImage)).isTrue();
        SensorMessages.Stamped<Image> compressed =
                SensorMessages.compressedImage(
                        messages().get("/camera/image_raw/compressed"), "compressed");
        assertThat(compressed.stampNs()).isEqualTo(STAMP);
        assertThat(compressed.value().samePixels(kittiImage)).isTrue();
    }

    @Test
    void aPointCloudDecodesToTheScanAndProjectsAsKittiSays() throws Exception {
        SensorMessages.Stamped<PointCloud> cloud =
                SensorMessages.pointCloud(messages().get("/velodyne_points"), "velodyne_points");
        PointCloud kitti = KittiScanReader.read(TestData.kitti().resolve("velodyne/000000.bin"));
        assertThat(cloud.stampNs()).isEqualTo(STAMP);
        assertThat(cloud.frameId()).isEqualTo("velodyne");
        assertThat(cloud.value().size()).isEqualTo(kitti.size()).isEqualTo(115384);
        float[] a = new float[kitti.size() * 4];
        float[] b = new float[kitti.size() * 4];
        kitti.buffer().get(a);
        cloud.value().buffer().get(b);
        assertThat(Arrays.equals(a, b)).as("x y z intensity of every point").isTrue();
        Calibration calib =
                KittiCalibration.read(
                        TestData.kitti().resolve("calib/000000.txt"),
                        kittiImage.width(),
                        kittiImage.height());
        assertThat(
                        new LidarProjector(0.5)
                                .project(
                                        LidarScan.of("velodyne", 0, STAMP, cloud.value(), "bag"),
                                        calib)
                                .count())
                .isEqualTo(20285);
    }

    @Test
    void aMessageThatLiesAboutItsLengthIsRefusedNamingTheSource() throws Exception {
        byte[] cloud = messages().get("/velodyne_points");
        byte[] cut = Arrays.copyOf(cloud, cloud.length / 2);
        assertThatThrownBy(() -> SensorMessages.pointCloud(cut, "bag /velodyne_points #0"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("bag /velodyne_points #0")
                .hasMessageContaining("more bytes");
        assertThatThrownBy(() -> SensorMessages.image(new byte[] {1, 2}, "bag /camera #0"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("not a plain CDR message");
    }

    /**
     * The bag replayed by the node (topics mapped in the playlist, the compressed copy skipped):
     * the frame's LiDAR image holds exactly the points {@code project} lands, and masks flow on
     * MQTT.
     */
    @Test
    void aBagReplaysThroughTheNode() throws Exception {
        Peer.MOSQUITTO_CLIENTS.require();
        Path playlist = dir.resolve("bag.json");
        Files.writeString(
                playlist,
                new JsonObject()
                        .put("name", "kitti-bag")
                        .put("bag", bag.toString())
                        .put(
                                "topics",
                                new JsonObject()
                                        .put("/camera/image_raw", "front")
                                        .put("/velodyne_points", "top"))
                        .put("rate", "max")
                        .put("loop", true)
                        .encode());
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microAt64(1, 0))
                        .put(
                                "replay",
                                new JsonObject()
                                        .put("playlist", playlist.toString())
                                        .put("mode", "lossless")
                                        .put("startPaused", true))
                        .put(
                                "projection",
                                new JsonObject()
                                        .put(
                                                "calibration",
                                                TestData.kitti()
                                                        .resolve("calib/000000.txt")
                                                        .toString()))
                        .put(
                                "mqtt",
                                new JsonObject()
                                        .put("topicPrefix", "fusion/bag")
                                        .put("embedded", new JsonObject().put("port", 0)))
                        .put("training", NodeConfigs.trainingOff());
        try (NodeHarness node =
                NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true)) {
            assertThat(node.section("replay").getInteger("frames")).isEqualTo(1);
            List<Integer> landed = new CopyOnWriteArrayList<>();
            node.vertx()
                    .eventBus()
                    .<FusedFrame>localConsumer(
                            Addresses.FUSED, m -> landed.add(m.body().pointsInImage()));
            int port = node.runtime().mqtt().orElseThrow().embeddedPort();
            var masks =
                    Mosquitto.subscribe(port, "fusion/bag/front/mask", 2, 120, dir)
                            .awaitSubscribed();
            node.resume();
            assertThat(masks.await()).hasSize(2);
            assertThat(landed).isNotEmpty().allMatch(n -> n == 20285);
        }
    }

    /** {@code inspect} on the bag lists its topics and says why it needs a topic map. */
    @Test
    void inspectListsTheBagsTopicsAndWhatPlays() throws Exception {
        Console.Printed p =
                Console.capture(
                        () -> new CommandLine(new FusionNode()).execute("inspect", bag.toString()));
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out())
                .contains("ROS 2 bag (cdr), 3 topics, 3 messages")
                .containsPattern("/velodyne_points +sensor_msgs/msg/PointCloud2 +1 msgs")
                .contains("needs a playlist 'topics' map")
                .contains("[/camera/image_raw, /camera/image_raw/compressed]");
    }

    /**
     * A bag with the camera's {@code CameraInfo} and the LiDAR's pose in {@code /tf_static}
     * calibrates itself: no calibration is configured, and the projection lands the points KITTI's
     * own calibration does, even with its rotation written as a quaternion.
     */
    @Test
    void aBagCarriesItsOwnCalibration() throws Exception {
        Ros2BagDrive drive =
                Ros2BagDrive.open(
                        calibratedBag,
                        "calibrated",
                        Map.of("/camera/image_raw", "front", "/velodyne_points", "top"));
        assertThat(drive.calibrations()).hasSize(1);
        var update = drive.calibrations().get(0);
        assertThat(update.cameraId()).isEqualTo("front");
        assertThat(update.lidarId()).isEqualTo("top");
        assertThat(drive.skippedPerTopic())
                .containsKeys("/camera/camera_info", "/tf_static", "/camera/image_raw/compressed");
        PointCloud kitti = KittiScanReader.read(TestData.kitti().resolve("velodyne/000000.bin"));
        int landed =
                new LidarProjector(0.5)
                        .project(
                                LidarScan.of("top", 0, STAMP, kitti, "bin"),
                                update.calibration().orElseThrow())
                        .count();
        assertThat(landed).isEqualTo(20285);
    }

    /**
     * {@code export} of the self-calibrating bag writes a ZOD dataset whose camera image is the
     * frame's own pixels, with its LiDAR pickle, and which replays as a dataset.
     */
    @Test
    void aBagExportsToADatasetThatReplaysWithTheSamePixels() throws Exception {
        Path out = dir.resolve("exported");
        Console.Printed p =
                Console.capture(
                        () ->
                                new CommandLine(new FusionNode())
                                        .execute(
                                                "export",
                                                "--drive",
                                                calibratedBag.toString(),
                                                "--out",
                                                out.toString(),
                                                "--topic",
                                                "/camera/image_raw=front",
                                                "--topic",
                                                "/velodyne_points=top"));
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out()).contains("1 frames (1 with LiDAR)");
        Image exported =
                ImageCodec.read(out.resolve("camera/frame_000000.png"), ImageCodec.Channels.RGB);
        assertThat(exported.samePixels(kittiImage)).isTrue();
        assertThat(out.resolve("lidar/frame_000000.pkl")).isRegularFile();
        Path playlist = dir.resolve("exported.json");
        Files.writeString(playlist, new JsonObject().put("recording", out.toString()).encode());
        assertThat(ReplayPlaylist.load(playlist).dataset().frames()).isEqualTo(1);
    }
}

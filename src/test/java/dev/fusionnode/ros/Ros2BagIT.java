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
import dev.fusionnode.testutil.KittiRos;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import dev.fusionnode.velodyne.PacketFile;
import dev.fusionnode.velodyne.VelodyneDecoder;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        Path raw = KittiRos.rawPixels(kittiImage, dir.resolve("000000.rgb"));
        bag = dir.resolve("kitti.mcap");
        writeBag(raw, png, bag);
        // the same frame with its camera info and the LiDAR's pose in /tf_static
        double[] calibration =
                KittiRos.rosCalibration(
                        KittiCalibration.read(
                                TestData.kitti().resolve("calib/000000.txt"),
                                kittiImage.width(),
                                kittiImage.height()));
        calibratedBag = dir.resolve("kitti-calibrated.mcap");
        Path dump = dir.resolve("kitti-calibrated.jsonl");
        // the same messages in SQLite bags written by Python's sqlite3: one file, and split
        if (Peer.PYTHON_SQLITE.present()) {
            writeBag(
                    raw,
                    png,
                    dir.resolve("unused.mcap"),
                    Map.of("ROS2_DUMP", dump.toString()),
                    calibration);
            db3Bag = dir.resolve("kitti-db3");
            python("src/test/python/ros2_db3.py", dump.toString(), db3Bag.toString());
            splitBag = dir.resolve("kitti-split");
            python("src/test/python/ros2_db3.py", dump.toString(), splitBag.toString(), "2");
        }
        // the LiDAR's pose on /tf instead of /tf_static; and the Velodyne's packets as a scan
        tfBag = dir.resolve("kitti-tf.mcap");
        writeBag(raw, png, tfBag, Map.of("ROS2_TF_TOPIC", "/tf"), calibration);
        velodyneBag = dir.resolve("kitti-velodyne.mcap");
        writeBag(
                raw,
                png,
                velodyneBag,
                Map.of(
                        "ROS2_VELODYNE",
                        TestData.velodyne().resolve("vlp16-mrpt-75packets.bin").toString(),
                        "ROS2_VELODYNE_PACKET",
                        Integer.toString(
                                PacketFile.read(
                                                TestData.velodyne()
                                                        .resolve("vlp16-mrpt-75packets.bin"))
                                        .packetSize())));
        writeBag(raw, png, calibratedBag, calibration);
    }

    private static Path calibratedBag;
    private static Path db3Bag;
    private static Path splitBag;
    private static Path tfBag;
    private static Path velodyneBag;

    private static void python(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
    }

    private static void writeBag(Path raw, Path png, Path out, double... calibration)
            throws Exception {
        writeBag(raw, png, out, Map.of(), calibration);
    }

    private static void writeBag(
            Path raw, Path png, Path out, Map<String, String> env, double... calibration)
            throws Exception {
        List<String> cmd =
                new ArrayList<>(
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
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
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
        replays(
                bag,
                new JsonObject().put("/camera/image_raw", "front").put("/velodyne_points", "top"),
                true);
    }

    /**
     * The same frame as a SQLite bag (Humble's {@code .db3}, written by Python's {@code sqlite3}
     * from the npm library's messages) replays from its folder with no calibration configured: the
     * bag's CameraInfo and {@code /tf_static} land exactly the 20,285 points, and masks flow.
     */
    @Test
    void aDb3BagReplaysThroughTheNodeCalibratingItself() throws Exception {
        Peer.PYTHON_SQLITE.require();
        replays(
                db3Bag,
                new JsonObject().put("/camera/image_raw", "front").put("/velodyne_points", "top"),
                false);
    }

    /**
     * Replays {@code bagPath} at the node (its topics mapped, lossless, looping): masks arrive on
     * MQTT, and every fused frame holds the points KITTI's frame is known for.
     */
    private void replays(Path bagPath, JsonObject topics, boolean configuredCalibration)
            throws Exception {
        Peer.MOSQUITTO_CLIENTS.require();
        Path playlist = dir.resolve(bagPath.getFileName() + ".json");
        Files.writeString(
                playlist,
                new JsonObject()
                        .put("name", "kitti-bag")
                        .put("bag", bagPath.toString())
                        .put("topics", topics)
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
                                "mqtt",
                                new JsonObject()
                                        .put("topicPrefix", "fusion/bag")
                                        .put("embedded", new JsonObject().put("port", 0)))
                        .put("training", NodeConfigs.trainingOff());
        if (configuredCalibration) {
            json.put(
                    "projection",
                    new JsonObject()
                            .put(
                                    "calibration",
                                    TestData.kitti().resolve("calib/000000.txt").toString()));
        }
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

    /**
     * The SQLite bag holds the same messages as the MCAP bag the npm library wrote, byte for byte;
     * split over three files, it reads as one bag in order.
     */
    @Test
    void aDb3BagHoldsTheSameMessagesAsTheMcapBag() throws Exception {
        Peer.PYTHON_SQLITE.require();
        try (Bag mcap = Bag.open(calibratedBag);
                Bag db3 = Bag.open(db3Bag);
                Bag split = Bag.open(splitBag)) {
            assertThat(mcap.storage()).isEqualTo("mcap");
            assertThat(db3.storage()).isEqualTo("sqlite3");
            assertThat(db3.types()).isEqualTo(mcap.types());
            assertThat(db3.encodings()).containsValue("cdr").doesNotContainValue("json");
            assertThat(db3.messages()).hasSize(mcap.messages().size()).hasSize(5);
            assertThat(split.messages()).hasSize(5);
            assertThat(split.messages().stream().map(BagMessage::part).distinct())
                    .containsExactly(0, 1, 2);
            for (int i = 0; i < 5; i++) {
                BagMessage a = mcap.messages().get(i);
                BagMessage b = db3.messages().get(i);
                BagMessage c = split.messages().get(i);
                assertThat(b.topic()).isEqualTo(a.topic()).isEqualTo(c.topic());
                assertThat(b.logTimeNs()).isEqualTo(STAMP);
                assertThat(db3.data(b)).isEqualTo(mcap.data(a)).isEqualTo(split.data(c));
            }
        }
        Ros2BagDrive drive =
                Ros2BagDrive.open(
                        splitBag,
                        "split",
                        Map.of("/camera/image_raw", "front", "/velodyne_points", "top"));
        assertThat(drive.frames()).isEqualTo(1);
        assertThat(drive.calibrations()).hasSize(1);
        assertThat(drive.decode(0, 0).scans()).hasSize(1);
    }

    /** A LiDAR pose found only on {@code /tf} (no {@code /tf_static}) calibrates the bag too. */
    @Test
    void aPoseOnTfCalibratesTheBag() throws Exception {
        Ros2BagDrive drive =
                Ros2BagDrive.open(
                        tfBag,
                        "tf",
                        Map.of("/camera/image_raw", "front", "/velodyne_points", "top"));
        assertThat(drive.skippedPerTopic()).containsKey("/tf").doesNotContainKey("/tf_static");
        assertThat(drive.calibrations()).hasSize(1);
        PointCloud kitti = KittiScanReader.read(TestData.kitti().resolve("velodyne/000000.bin"));
        assertThat(
                        new LidarProjector(0.5)
                                .project(
                                        LidarScan.of("top", 0, STAMP, kitti, "bin"),
                                        drive.calibrations().get(0).calibration().orElseThrow())
                                .count())
                .isEqualTo(20285);
    }

    /**
     * A {@code velodyne_msgs/msg/VelodyneScan} of a real VLP-16's 75 packets (serialised by the npm
     * library, fixed 1206-byte packet arrays) decodes through the node's Velodyne decoder to the
     * points the packets hold.
     */
    @Test
    void aVelodyneScanDecodesThroughThePacketDecoder() throws Exception {
        PacketFile packets =
                PacketFile.read(TestData.velodyne().resolve("vlp16-mrpt-75packets.bin"));
        int[] expected = {0};
        VelodyneDecoder decoder = VelodyneDecoder.nominal();
        for (int i = 0; i < packets.packets(); i++) {
            decoder.decode(
                    packets.bytes(),
                    packets.offset(i),
                    packets.packetSize(),
                    (x, y, z, intensity) -> expected[0]++,
                    "file");
        }
        Ros2BagDrive drive =
                Ros2BagDrive.open(
                        velodyneBag,
                        "velodyne",
                        Map.of("/camera/image_raw", "front", "/velodyne_packets", "top"));
        Ros2BagDrive.Decoded d = drive.decode(0, 0);
        assertThat(d.badScans()).isEmpty();
        assertThat(d.scans()).hasSize(1);
        assertThat(expected[0]).isGreaterThan(10_000);
        assertThat(d.scans().get(0).points().size()).isEqualTo(expected[0]);
        assertThat(d.scans().get(0).timeNs()).isEqualTo(STAMP);
    }

    /** {@code inspect} on the SQLite bag's folder tells its storage, topics and mapping. */
    @Test
    void inspectTellsASqliteBagFolder() throws Exception {
        Peer.PYTHON_SQLITE.require();
        Console.Printed p =
                Console.capture(
                        () ->
                                new CommandLine(new FusionNode())
                                        .execute("inspect", db3Bag.toString()));
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out())
                .contains("ROS 2 bag (sqlite3, cdr), 5 topics, 5 messages")
                .containsPattern("/tf_static +tf2_msgs/msg/TFMessage +1 msgs")
                .contains("needs a playlist 'topics' map");
    }

    /** {@code inspect} on the bag lists its topics and says why it needs a topic map. */
    @Test
    void inspectListsTheBagsTopicsAndWhatPlays() throws Exception {
        Console.Printed p =
                Console.capture(
                        () -> new CommandLine(new FusionNode()).execute("inspect", bag.toString()));
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out())
                .contains("ROS 2 bag (mcap, cdr), 3 topics, 3 messages")
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
        exportsAndReplays(calibratedBag, "exported");
    }

    /** The same from the SQLite bag's folder. */
    @Test
    void aDb3BagExportsToADatasetThatReplaysWithTheSamePixels() throws Exception {
        Peer.PYTHON_SQLITE.require();
        exportsAndReplays(db3Bag, "exported-db3");
    }

    private void exportsAndReplays(Path bagPath, String name) throws Exception {
        Path out = dir.resolve(name);
        Console.Printed p =
                Console.capture(
                        () ->
                                new CommandLine(new FusionNode())
                                        .execute(
                                                "export",
                                                "--drive",
                                                bagPath.toString(),
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
        Path playlist = dir.resolve(name + ".json");
        Files.writeString(playlist, new JsonObject().put("recording", out.toString()).encode());
        assertThat(ReplayPlaylist.load(playlist).dataset().frames()).isEqualTo(1);
    }
}

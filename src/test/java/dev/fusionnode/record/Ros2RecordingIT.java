package dev.fusionnode.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.replay.McapDrive;
import dev.fusionnode.ros.BagMetadata;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings as ROS 2 bags ({@code record.format: ros2}) read by others: npm {@code @mcap/core}
 * reads the file and {@code @foxglove/rosmsg2-serialization} decodes every message from the schemas
 * stored in it; the masks are {@code mono8} images of the camera's size with the camera frame's
 * stamp and frame id; the folder's {@code metadata.yaml} lists the file; and the node replays the
 * bag with the original pixels and points.
 */
class Ros2RecordingIT {
    @TempDir Path dir;

    private record Run(
            List<CameraFrame> cameras, List<LidarScan> scans, List<EncodedFrame> encoded) {}

    private Run play(JsonObject model, JsonObject replay, JsonObject record, int encodedFrames)
            throws Exception {
        JsonObject json =
                NodeConfigs.node(model)
                        .put(
                                "replay",
                                replay.put("mode", "lossless")
                                        .put("loop", false)
                                        .put("rate", "max")
                                        .put("startPaused", true))
                        .put("training", NodeConfigs.trainingOff())
                        .put("record", record);
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        Run run =
                new Run(
                        new CopyOnWriteArrayList<>(),
                        new CopyOnWriteArrayList<>(),
                        new CopyOnWriteArrayList<>());
        try {
            var bus = rt.vertx().eventBus();
            bus.<CameraFrame>localConsumer(Addresses.CAMERA, m -> run.cameras().add(m.body()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            bus.<LidarScan>localConsumer(Addresses.LIDAR, m -> run.scans().add(m.body()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            bus.<EncodedFrame>localConsumer(Addresses.ENCODED, m -> run.encoded().add(m.body()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            NodeConfigs.resume(rt);
            Await.until(
                    () ->
                            "finished"
                                    .equals(
                                            rt.status()
                                                    .snapshot()
                                                    .getJsonObject("replay")
                                                    .getString("state")),
                    120,
                    "replay finished");
            Await.until(
                    () -> run.encoded().size() >= encodedFrames,
                    120,
                    encodedFrames + " frames segmented and encoded");
            if (record.getBoolean("enabled", false)) {
                Await.until(
                        () -> rt.status().snapshot().getJsonObject("record").getLong("queued") == 0,
                        60,
                        "the recorder's queue written");
            }
        } finally {
            rt.close();
        }
        return run;
    }

    private JsonObject ros2Record(String drive, boolean masks) {
        return new JsonObject()
                .put("enabled", true)
                .put("dir", dir.toString())
                .put("drive", drive)
                .put("format", "ros2")
                .put("masks", masks)
                .put("chunkBytes", 256 * 1024);
    }

    private static Map<String, Integer> counts(JsonObject read) {
        Map<String, Integer> out = new TreeMap<>();
        for (Object o : read.getJsonArray("channels")) {
            JsonObject c = (JsonObject) o;
            assertThat(c.getString("messageEncoding")).isEqualTo("cdr");
            assertThat(c.getString("schemaEncoding")).isEqualTo("ros2msg");
            out.put(c.getString("topic"), c.getInteger("count"));
        }
        return out;
    }

    /**
     * The sample drive recorded as a ROS 2 bag: the npm libraries read every message; the node
     * replays the bag (calibrating itself from its CameraInfo and {@code /tf_static}) with the
     * original pixels, times and points.
     */
    @Test
    void theSampleDriveRecordedAsABagReadsAndReplaysIdentically() throws Exception {
        Run original =
                play(
                        new JsonObject().put("enabled", false),
                        new JsonObject().put("playlist", "replay/sample-drive.json"),
                        ros2Record("sample", false),
                        0);
        assertThat(original.cameras()).hasSize(100);
        Path folder = dir.resolve("sample");
        Path mcap = folder.resolve(McapDrive.FILE_NAME);
        String cam = original.cameras().get(0).sensorId();
        String lidar = original.scans().get(0).sensorId();
        BagMetadata meta = BagMetadata.read(folder.resolve(BagMetadata.FILE_NAME));
        assertThat(meta.storage()).isEqualTo("mcap");
        assertThat(meta.files()).containsExactly(McapDrive.FILE_NAME);

        Peer.requireNpm("@mcap/core", "@mcap/support", "@foxglove/rosmsg2-serialization");
        JsonObject read = NpmPeers.ros2BagRead(mcap);
        assertThat(read.getString("profile")).isEqualTo("ros2");
        assertThat(counts(read))
                .containsEntry("/" + cam + "/image_raw/compressed", 100)
                .containsEntry("/" + cam + "/camera_info", 100)
                .containsEntry("/" + lidar + "/points", original.scans().size())
                .containsEntry("/tf_static", 1);
        JsonObject image =
                read.getJsonObject("messages")
                        .getJsonArray("/" + cam + "/image_raw/compressed")
                        .getJsonObject(0);
        assertThat(image.getString("format")).isEqualTo("png");
        assertThat(image.getString("head")).isEqualTo("89504e47");
        assertThat(image.getString("stamp"))
                .isEqualTo(Long.toString(original.cameras().get(0).captureTimeNs()));
        JsonObject cloud =
                read.getJsonObject("messages")
                        .getJsonArray("/" + lidar + "/points")
                        .getJsonObject(0);
        assertThat(cloud.getInteger("width")).isEqualTo(original.scans().get(0).points().size());
        assertThat(cloud.getJsonArray("fields")).containsExactly("x", "y", "z", "intensity");
        JsonObject tf =
                read.getJsonObject("messages")
                        .getJsonArray("/tf_static")
                        .getJsonObject(0)
                        .getJsonArray("transforms")
                        .getJsonObject(0);
        assertThat(tf.getString("parent")).isEqualTo(lidar);
        assertThat(tf.getString("child")).isEqualTo(cam);
        // the calibration is logged with the first sensor message, not at time zero
        assertThat(
                        read.getJsonObject("messages")
                                .getJsonArray("/tf_static")
                                .getJsonObject(0)
                                .getString("logTime"))
                .isNotEqualTo("0");

        Path playlist = dir.resolve("recorded.json");
        Files.writeString(playlist, new JsonObject().put("recording", folder.toString()).encode());
        Run again =
                play(
                        new JsonObject().put("enabled", false),
                        new JsonObject().put("playlist", playlist.toString()),
                        new JsonObject(),
                        0);
        assertThat(again.cameras()).hasSameSizeAs(original.cameras());
        assertThat(again.scans()).hasSameSizeAs(original.scans());
        for (int i = 0; i < original.cameras().size(); i++) {
            CameraFrame a = original.cameras().get(i);
            CameraFrame b = again.cameras().get(i);
            assertThat(b.sensorId()).isEqualTo(a.sensorId());
            assertThat(b.captureTimeNs()).isEqualTo(a.captureTimeNs());
            assertThat(b.image().samePixels(a.image())).as("pixels of frame %d", i).isTrue();
        }
        for (int i = 0; i < original.scans().size(); i++) {
            LidarScan a = original.scans().get(i);
            LidarScan b = again.scans().get(i);
            assertThat(b.sensorId()).isEqualTo(a.sensorId());
            assertThat(b.timeNs()).isEqualTo(a.timeNs());
            assertThat(Arrays.copyOf(b.points().unsafeArray(), b.points().size() * 4))
                    .containsExactly(
                            Arrays.copyOf(a.points().unsafeArray(), a.points().size() * 4));
        }
    }

    /**
     * With masks: each mask decodes as a {@code mono8} image of the camera's size whose stamp and
     * frame id are its camera frame's, its values class indices; the confidence map likewise; the
     * overlay is a JPEG.
     */
    @Test
    void masksAreMono8ImagesStampedAsTheirCameraFrames() throws Exception {
        Peer.requireNpm("@mcap/core", "@mcap/support", "@foxglove/rosmsg2-serialization");
        Run run =
                play(
                        NodeConfigs.microFusion(),
                        NodeConfigs.sampleDrive(false).put("maxFrames", 12),
                        ros2Record("masks", true),
                        12);
        JsonObject read = NpmPeers.ros2BagRead(dir.resolve("masks").resolve(McapDrive.FILE_NAME));
        String cam = run.cameras().get(0).sensorId();
        assertThat(counts(read))
                .containsEntry("/" + cam + "/image_raw/compressed", 12)
                .containsEntry("/fusion/" + cam + "/mask", 12)
                .containsEntry("/fusion/" + cam + "/confidence", 12)
                .containsEntry("/fusion/" + cam + "/overlay/compressed", 12);
        Set<String> cameraStamps =
                run.cameras().stream()
                        .map(c -> Long.toString(c.captureTimeNs()))
                        .collect(Collectors.toSet());
        int width = run.cameras().get(0).image().width();
        int height = run.cameras().get(0).image().height();
        int classes = run.encoded().get(0).classNames().size();
        JsonArray masks = read.getJsonObject("messages").getJsonArray("/fusion/" + cam + "/mask");
        for (Object o : masks) {
            JsonObject m = (JsonObject) o;
            assertThat(m.getString("encoding")).isEqualTo("mono8");
            assertThat(m.getInteger("width")).isEqualTo(width);
            assertThat(m.getInteger("height")).isEqualTo(height);
            assertThat(m.getInteger("step")).isEqualTo(width);
            assertThat(m.getInteger("length")).isEqualTo(width * height);
            assertThat(m.getInteger("max")).isLessThan(classes);
            assertThat(m.getString("frame_id")).isEqualTo(cam);
            assertThat(m.getString("stamp")).isIn(cameraStamps).isEqualTo(m.getString("logTime"));
        }
        JsonObject confidence =
                read.getJsonObject("messages")
                        .getJsonArray("/fusion/" + cam + "/confidence")
                        .getJsonObject(0);
        assertThat(confidence.getString("encoding")).isEqualTo("mono8");
        assertThat(confidence.getInteger("max")).isGreaterThan(0);
        JsonObject overlay =
                read.getJsonObject("messages")
                        .getJsonArray("/fusion/" + cam + "/overlay/compressed")
                        .getJsonObject(0);
        assertThat(overlay.getString("format")).isEqualTo("jpeg");
        assertThat(overlay.getString("head")).startsWith("ffd8");
    }
}

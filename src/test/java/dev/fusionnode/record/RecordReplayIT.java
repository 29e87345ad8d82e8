package dev.fusionnode.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.export.DriveExport;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.replay.McapDrive;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample drive replayed and recorded ({@code record} block): npm {@code @mcap/core} (indexed
 * reader) reads the recording with the expected schemas, channels and message counts; the recording
 * replayed by the node gives the same camera frames (pixels, times, sequence numbers) and scans
 * (points, times) as the original; a copy cut short plays up to the damage.
 */
class RecordReplayIT {
    @TempDir Path dir;

    private record Run(List<CameraFrame> cameras, List<LidarScan> scans) {}

    private Run play(JsonObject replay, JsonObject record) throws Exception {
        JsonObject json =
                NodeConfigs.node(new JsonObject().put("enabled", false))
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
        Run run = new Run(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        try {
            var bus = rt.vertx().eventBus();
            bus.<CameraFrame>localConsumer(Addresses.CAMERA, m -> run.cameras().add(m.body()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            bus.<LidarScan>localConsumer(Addresses.LIDAR, m -> run.scans().add(m.body()))
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
        } finally {
            rt.close();
        }
        return run;
    }

    /** Messages per topic of an {@code NpmPeers.mcapSummary}. */
    private static Map<String, Integer> topicCounts(JsonObject summary) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Object o : summary.getJsonArray("channels")) {
            JsonObject c = (JsonObject) o;
            counts.put(c.getString("topic"), c.getInteger("count"));
        }
        return counts;
    }

    /** With {@code record.masks} the masks and confidence maps go into the recording too. */
    @Test
    void masksAndConfidenceMapsAreRecordedWhenAsked() throws Exception {
        Peer.requireNpm("@mcap/core", "@mcap/support");
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microFusion())
                        .put(
                                "replay",
                                NodeConfigs.sampleDrive(false)
                                        .put("maxFrames", 12)
                                        .put("startPaused", true))
                        .put("training", NodeConfigs.trainingOff())
                        .put(
                                "record",
                                new JsonObject()
                                        .put("enabled", true)
                                        .put("dir", dir.toString())
                                        .put("drive", "masks")
                                        .put("masks", true));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            AtomicInteger encoded = new AtomicInteger();
            rt.vertx()
                    .eventBus()
                    .localConsumer(Addresses.ENCODED, m -> encoded.incrementAndGet())
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            NodeConfigs.resume(rt);
            Await.until(() -> encoded.get() >= 12, 120, "12 frames segmented and encoded");
            Await.until(
                    () -> rt.status().snapshot().getJsonObject("record").getLong("queued") == 0,
                    60,
                    "the recorder's queue written");
        } finally {
            rt.close();
        }
        JsonObject s = NpmPeers.mcapSummary(dir.resolve("masks").resolve(McapDrive.FILE_NAME));
        Map<String, Integer> counts = topicCounts(s);
        assertThat(counts.get("/front/mask")).isEqualTo(12);
        assertThat(counts.get("/front/confidence")).isEqualTo(12);
        assertThat(s.getJsonObject("first").getJsonObject("/front/confidence").getString("data"))
                .startsWith("89504e47");
    }

    @Test
    void recordedDriveReadsAndReplaysIdentically() throws Exception {
        Run original =
                play(
                        new JsonObject().put("playlist", "replay/sample-drive.json"),
                        new JsonObject()
                                .put("enabled", true)
                                .put("dir", dir.toString())
                                .put("drive", "sample")
                                .put("chunkBytes", 256 * 1024));
        assertThat(original.cameras()).hasSize(100);
        Path mcap = dir.resolve("sample").resolve(McapDrive.FILE_NAME);
        assertThat(mcap).isRegularFile();

        if (NpmPeers.mcapReaderAvailable()) {
            JsonObject s = NpmPeers.mcapSummary(mcap);
            assertThat(
                            s.getJsonArray("schemas").stream()
                                    .map(o -> ((JsonObject) o).getString("name")))
                    .containsExactlyInAnyOrder(
                            "fusion_node.Calibration",
                            "foxglove.CameraCalibration",
                            "foxglove.PointCloud",
                            "foxglove.CompressedImage");
            Map<String, Integer> counts = topicCounts(s);
            String cam = original.cameras().get(0).sensorId();
            String lidar = original.scans().get(0).sensorId();
            assertThat(counts)
                    .containsEntry("/" + cam + "/image", 100)
                    .containsEntry("/" + lidar + "/points", original.scans().size())
                    .containsEntry("/" + cam + "/calibration", 1)
                    .containsEntry("/" + cam + "/camera_info", 1);
            assertThat(s.getInteger("messageCount")).isEqualTo(100 + original.scans().size() + 2);
            assertThat(
                            s.getJsonObject("first")
                                    .getJsonObject("/" + cam + "/image")
                                    .getString("format"))
                    .isEqualTo("png");
        }

        Path playlist = dir.resolve("recorded.json");
        Files.writeString(
                playlist,
                new JsonObject().put("recording", dir.resolve("sample").toString()).encode());
        Run again = play(new JsonObject().put("playlist", playlist.toString()), new JsonObject());
        assertThat(again.cameras()).hasSameSizeAs(original.cameras());
        assertThat(again.scans()).hasSameSizeAs(original.scans());
        for (int i = 0; i < original.cameras().size(); i++) {
            CameraFrame a = original.cameras().get(i);
            CameraFrame b = again.cameras().get(i);
            assertThat(b.sensorId()).isEqualTo(a.sensorId());
            assertThat(b.seq()).isEqualTo(a.seq());
            assertThat(b.captureTimeNs()).isEqualTo(a.captureTimeNs());
            assertThat(b.image().samePixels(a.image())).as("pixels of frame %d", i).isTrue();
        }
        for (int i = 0; i < original.scans().size(); i++) {
            LidarScan a = original.scans().get(i);
            LidarScan b = again.scans().get(i);
            assertThat(b.sensorId()).isEqualTo(a.sensorId());
            assertThat(b.timeNs()).isEqualTo(a.timeNs());
            assertThat(b.frameId()).isEqualTo(a.frameId());
            assertThat(Arrays.copyOf(b.points().unsafeArray(), b.points().size() * 4))
                    .containsExactly(
                            Arrays.copyOf(a.points().unsafeArray(), a.points().size() * 4));
        }

        // exported to the ZOD layout, the drive replays as a dataset with the same images
        Path exported = dir.resolve("exported");
        DriveExport.Result result = DriveExport.export(McapDrive.open(mcap, "sample"), exported);
        assertThat(result.frames()).isEqualTo(100);
        assertThat(result.withLidar()).isEqualTo(original.scans().size());
        assertThat(exported.resolve("annotation_camera_only")).isEmptyDirectory();
        Files.writeString(
                playlist, new JsonObject().put("recording", exported.toString()).encode());
        Run fromDataset =
                play(new JsonObject().put("playlist", playlist.toString()), new JsonObject());
        assertThat(fromDataset.cameras()).hasSize(100);
        assertThat(fromDataset.scans()).hasSize(original.scans().size());
        for (int i = 0; i < 100; i++) {
            assertThat(
                            fromDataset
                                    .cameras()
                                    .get(i)
                                    .image()
                                    .samePixels(original.cameras().get(i).image()))
                    .isTrue();
            assertThat(fromDataset.cameras().get(i).captureTimeNs())
                    .isEqualTo(original.cameras().get(i).captureTimeNs());
        }
        for (int i = 0; i < fromDataset.scans().size(); i++) {
            assertThat(fromDataset.scans().get(i).points().size())
                    .isPositive()
                    .isLessThanOrEqualTo(original.scans().get(i).points().size());
        }

        // cut short: plays up to the damage
        byte[] whole = Files.readAllBytes(mcap);
        Path cut = dir.resolve("cut").resolve(McapDrive.FILE_NAME);
        Files.createDirectories(cut.getParent());
        Files.write(cut, Arrays.copyOf(whole, whole.length * 6 / 10));
        McapDrive damaged = McapDrive.open(cut, "cut");
        assertThat(damaged.reader().damage()).isPresent();
        assertThat(damaged.frames()).isBetween(20, 80);
    }
}

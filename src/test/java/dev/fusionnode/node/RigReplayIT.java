package dev.fusionnode.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.export.DriveExport;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.RigFiles;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.replay.DriveSource;
import dev.fusionnode.replay.McapDrive;
import dev.fusionnode.replay.ReplayPlaylist;
import dev.fusionnode.replay.RigDataset;
import dev.fusionnode.synth.Condition;
import dev.fusionnode.synth.RigDriveGenerator;
import dev.fusionnode.synth.SynthOptions;
import dev.fusionnode.synth.SynthProfile;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A six-camera synthetic drive (the shipped six-camera rig) replayed lossless at full speed: every
 * camera's frames come out as masks on MQTT, each camera's frames are projected through its own
 * calibration, and by-instant batching runs the six cameras of an instant as one batch (with the
 * inference worker parked between batches, or spinning).
 */
class RigReplayIT {
    private static final int FRAMES = 6;
    private static final List<String> CAMERAS =
            List.of("front", "front_left", "front_right", "back_left", "back_right", "back");

    @TempDir static Path dir;

    @BeforeAll
    static void sixCameraDrive() throws Exception {
        SynthOptions o =
                new SynthOptions(
                        dir.resolve("six"),
                        FRAMES,
                        7,
                        SynthProfile.ZOD,
                        List.of(Condition.DAY_FAIR),
                        160,
                        96,
                        32,
                        0.4,
                        0.0,
                        10.0,
                        1_700_000_000_000_000_000L,
                        SynthOptions.FAST_PNG,
                        2,
                        false);
        new RigDriveGenerator(o, RigFiles.read(Path.of("config/rigs/six-camera.json")))
                .generate(n -> {});
        // the folder replays as a rig dataset, its drive.mcap as a recording
        Files.writeString(
                dir.resolve("six.json"),
                new JsonObject()
                        .put("name", "six")
                        .put("recording", dir.resolve("six").toString())
                        .put("rate", "max")
                        .encode());
        Files.writeString(
                dir.resolve("six-mcap.json"),
                new JsonObject()
                        .put("name", "six-mcap")
                        .put("recording", dir.resolve("six").resolve("drive.mcap").toString())
                        .put("rate", "max")
                        .encode());
    }

    /** The rig with its inference worker polling for frames ({@code inference.idle: spin}). */
    private static NodeHarness startSpinning() {
        return start("instant", new JsonObject().put("enabled", false), "six.json", "spin");
    }

    private static NodeHarness start(String batching, JsonObject record, String playlist) {
        return start(batching, record, playlist, "park");
    }

    private static NodeHarness start(
            String batching, JsonObject record, String playlist, String idle) {
        JsonObject json =
                NodeConfigs.node(
                                NodeConfigs.microAt64(6, 500)
                                        .put("batching", batching)
                                        .put("camerasPerInstant", 6)
                                        .put("idle", idle))
                        .put(
                                "replay",
                                new JsonObject()
                                        .put("playlist", dir.resolve(playlist).toString())
                                        .put("mode", "lossless")
                                        .put("startPaused", true))
                        .put("pipeline", new JsonObject().put("maxInFlight", 12))
                        .put(
                                "mqtt",
                                new JsonObject()
                                        .put("topicPrefix", "fusion/rig")
                                        .put("embedded", new JsonObject().put("port", 0)))
                        .put("training", NodeConfigs.trainingOff())
                        .put("record", record);
        return NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
    }

    @Test
    void everyCameraIsProjectedSegmentedAndPublishedInBatchesOfOneInstant() throws Exception {
        Peer.MOSQUITTO_CLIENTS.require();
        // a spinning worker takes the same batches: it polls where a parked one would sleep
        try (NodeHarness node = startSpinning()) {
            Map<String, Integer> landed = new ConcurrentHashMap<>();
            node.vertx()
                    .eventBus()
                    .<FusedFrame>localConsumer(
                            Addresses.FUSED,
                            m ->
                                    landed.merge(
                                            m.body().camera().sensorId(),
                                            m.body().pointsInImage(),
                                            Math::min));
            int port = node.runtime().mqtt().orElseThrow().embeddedPort();
            var masks =
                    Mosquitto.subscribe(port, "fusion/rig/+/mask", FRAMES * 6, 120, dir)
                            .awaitSubscribed();
            node.resume();
            List<Mosquitto.Received> got = masks.await();
            Map<String, Long> perCamera =
                    got.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            r -> r.topic().split("/")[2],
                                            TreeMap::new,
                                            Collectors.counting()));
            assertThat(perCamera.keySet()).containsExactlyInAnyOrderElementsOf(CAMERAS);
            assertThat(perCamera.values()).allMatch(n -> n == FRAMES);
            node.awaitReplayDrained(60);
            JsonObject inference = node.section("inference");
            assertThat(inference.getString("idle")).isEqualTo("spin");
            assertThat(inference.getDouble("meanBatch")).as(inference.encode()).isEqualTo(6.0);
            assertThat(node.section("drops").getLong("total")).isZero();
            JsonObject synced = node.section("sync").getJsonObject("perCamera");
            CAMERAS.forEach(
                    c ->
                            assertThat(synced.getJsonObject(c).getLong("paired"))
                                    .as(c)
                                    .isEqualTo(FRAMES));
            JsonObject encoded = node.section("encoder").getJsonObject("encodedPerCamera");
            assertThat(encoded.fieldNames()).containsExactlyInAnyOrderElementsOf(CAMERAS);
            CAMERAS.forEach(c -> assertThat(encoded.getLong(c)).as(c).isEqualTo(FRAMES));
            assertThat(node.scrape())
                    .contains(
                            "fusionnode_frames_published_total{camera=\"back\"} " + FRAMES + ".0");
            // each camera saw LiDAR points through its own calibration, in every frame
            assertThat(landed.keySet()).containsExactlyInAnyOrderElementsOf(CAMERAS);
            assertThat(landed.values()).as(landed.toString()).allMatch(n -> n > 100);
        }
    }

    /** Recording a rig writes every camera, read back by npm {@code @mcap/core}. */
    @Test
    void aRecordingHoldsEveryCameraForMcapCore() throws Exception {
        Peer.requireNpm("@mcap/core", "@mcap/support");
        JsonObject record =
                new JsonObject()
                        .put("enabled", true)
                        .put("dir", dir.toString())
                        .put("drive", "recorded")
                        .put("masks", true);
        try (NodeHarness node = start("instant", record, "six-mcap.json")) {
            node.resume().awaitReplayDrained(120);
            Await.until(
                    () -> node.section("record").getLong("queued") == 0,
                    60,
                    "the recorder's queue written");
        }
        JsonObject s = NpmPeers.mcapSummary(dir.resolve("recorded").resolve("drive.mcap"));
        Map<String, Integer> counts = new TreeMap<>();
        for (Object o : s.getJsonArray("channels")) {
            JsonObject c = (JsonObject) o;
            counts.put(c.getString("topic"), c.getInteger("count"));
        }
        for (String camera : CAMERAS) {
            assertThat(counts).containsEntry("/" + camera + "/image", FRAMES);
            assertThat(counts).containsEntry("/" + camera + "/mask", FRAMES);
            assertThat(counts.get("/" + camera + "/calibration")).isPositive();
        }
        assertThat(counts).containsEntry("/top/points", FRAMES);
    }

    /** The rig dataset and the recorded drive of a synthetic rig drive play the same frames. */
    @Test
    void theDatasetAndTheRecordingPlayEveryCamera() throws Exception {
        for (String playlist : List.of("six.json", "six-mcap.json")) {
            try (NodeHarness node =
                    start("instant", new JsonObject().put("enabled", false), playlist)) {
                assertThat(node.section("replay").getInteger("frames")).isEqualTo(FRAMES * 6);
                node.resume().awaitReplayDrained(120);
                JsonObject encoded = node.section("encoder").getJsonObject("encodedPerCamera");
                CAMERAS.forEach(
                        c ->
                                assertThat(encoded.getLong(c))
                                        .as(playlist + " " + c)
                                        .isEqualTo(FRAMES));
                JsonObject synced = node.section("sync").getJsonObject("perCamera");
                CAMERAS.forEach(
                        c ->
                                assertThat(synced.getJsonObject(c).getLong("paired"))
                                        .as(playlist + " " + c)
                                        .isEqualTo(FRAMES));
            }
        }
    }

    /** Export of a rig's drive: one ZOD-like dataset folder per camera, each with its LiDAR. */
    @Test
    void aRigDriveExportsOneFolderPerCamera() throws Exception {
        Path out = dir.resolve("exported");
        DriveExport.Result r =
                DriveExport.export(
                        McapDrive.open(dir.resolve("six").resolve("drive.mcap"), "six"), out);
        assertThat(r.frames()).isEqualTo(FRAMES * 6);
        assertThat(r.withLidar()).isEqualTo(FRAMES * 6);
        for (String camera : CAMERAS) {
            Path c = out.resolve(camera);
            for (int i = 0; i < FRAMES; i++) {
                String name = String.format("frame_%06d.png", i);
                Image exported =
                        ImageCodec.read(c.resolve("camera").resolve(name), ImageCodec.Channels.RGB);
                Image rendered =
                        ImageCodec.read(
                                dir.resolve("six").resolve(camera).resolve("camera").resolve(name),
                                ImageCodec.Channels.RGB);
                assertThat(exported.samePixels(rendered)).as(camera + " " + name).isTrue();
            }
            assertThat(c.resolve("lidar").resolve("frame_000000.pkl")).isRegularFile();
            assertThat(c.resolve("drive.json")).isRegularFile();
        }
        // and the whole folder is a rig dataset again
        Path playlist = dir.resolve("exported.json");
        Files.writeString(playlist, new JsonObject().put("recording", out.toString()).encode());
        DriveSource drive = ReplayPlaylist.load(playlist).drive();
        assertThat(drive).isInstanceOf(RigDataset.class);
        assertThat(drive.frames()).isEqualTo(FRAMES * 6);
        assertThat(((RigDataset) drive).rig().cameraIds()).containsExactlyElementsOf(CAMERAS);
    }
}

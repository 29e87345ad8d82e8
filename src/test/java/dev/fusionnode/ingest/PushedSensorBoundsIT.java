package dev.fusionnode.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.FrameEnd;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pushed sensors are held to the same bounds as the node's own sources: their camera frames take
 * credits (3,000 frames pushed in 2 s once filled the inference queue with 3,000 frames), their
 * sensor ids are bounded (3,000 made-up ids once added 3,000 metric series and status entries), and
 * a pushed sensor the node was not configured with does not make it unready when it goes silent
 * (one message from a made-up id once meant 503 until restart).
 */
class PushedSensorBoundsIT {
    private static final Path PNG = Path.of("recordings/sample-drive/camera/frame_000010.png");

    private static NodeHarness start(JsonObject ingest, long stallMs) {
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put("inference", new JsonObject().put("enabled", false))
                        .put("training", new JsonObject().put("enabled", false))
                        .put("sync", new JsonObject().put("unpaired", "camera-only"))
                        .put("pipeline", new JsonObject().put("maxInFlight", 3))
                        .put("health", new JsonObject().put("sensorStallMs", stallMs))
                        .put("ingest", ingest);
        // no terminal stage: the test ends frames itself, so credits stay taken until it does
        return NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), false);
    }

    private static void push(NodeRuntime rt, PushMessage m, int n) {
        rt.vertx()
                .eventBus()
                .send(
                        Addresses.INGEST_PUSH,
                        Buffer.buffer(m.toBytes()),
                        new DeliveryOptions().addHeader("source", "test #" + n));
    }

    @Test
    void pushedCameraFramesTakeCredits() throws Exception {
        try (NodeHarness node = start(new JsonObject(), 0)) {
            NodeRuntime rt = node.runtime();
            List<CameraFrame> admitted = new CopyOnWriteArrayList<>();
            rt.vertx()
                    .eventBus()
                    .<CameraFrame>localConsumer(Addresses.CAMERA, m -> admitted.add(m.body()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            byte[] png = Files.readAllBytes(PNG);
            for (int i = 0; i < 10; i++) {
                push(rt, new PushMessage(PushMessage.Kind.CAMERA, "front", 1_000L * i, png), i);
            }
            JsonObject push =
                    node.awaitSection(
                            "push", s -> s.getLong("cameraFrames", 0L) == 10, 30, "10 frames in");
            assertThat(admitted).as("frames let in: the credits").hasSize(3);
            assertThat(push.getLong("droppedNoCredit")).isEqualTo(7);
            assertThat(push.getInteger("inFlight")).isEqualTo(3);
            assertThat(node.dropped(DropReason.PIPELINE_LAG)).isEqualTo(7);

            for (CameraFrame f : admitted) {
                CreditStage.end(rt.vertx().eventBus(), FrameEnd.delivered(f));
            }
            node.awaitSection("push", s -> s.getInteger("inFlight") == 0, 10, "credits back");
            for (int i = 10; i < 12; i++) {
                push(rt, new PushMessage(PushMessage.Kind.CAMERA, "front", 1_000L * i, png), i);
            }
            Await.until(() -> admitted.size() == 5, 30, "two more let in");
            assertThat(node.dropped(DropReason.PIPELINE_LAG)).isEqualTo(7);
        }
    }

    @Test
    void sensorIdsAreBoundedAndUnlistedOnesAreNotWatched() throws Exception {
        try (NodeHarness node = start(new JsonObject().put("maxSensorIds", 2), 300)) {
            NodeRuntime rt = node.runtime();
            List<String> scans = new CopyOnWriteArrayList<>();
            rt.vertx()
                    .eventBus()
                    .<LidarScan>localConsumer(Addresses.LIDAR, m -> scans.add(m.body().sensorId()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            int n = 0;
            for (String id : List.of("a", "b", "c", "a", "d")) {
                push(rt, new PushMessage(PushMessage.Kind.POINT_CLOUD, id, 5L, new byte[16]), n++);
            }
            node.awaitSection(
                    "push",
                    s -> s.getLong("pointClouds", 0L) + s.getLong("bad", 0L) == 5,
                    30,
                    "5 messages handled");
            assertThat(scans).containsExactlyInAnyOrder("a", "b", "a");
            assertThat(rt.metrics().badInputs(BadInputReason.UNKNOWN_SENSOR)).isEqualTo(2);
            assertThat(node.section("push").getInteger("sensorIds")).isEqualTo(2);
            // silent for longer than the stall time: listed, not stalled, the node stays ready
            JsonObject sensors =
                    node.awaitSection(
                            "sensors",
                            s ->
                                    s.containsKey("a")
                                            && s.getJsonObject("a").getLong("lastSeenAgoMs") > 600,
                            30,
                            "a silent for twice the stall time");
            assertThat(sensors.getJsonObject("a").getBoolean("stalled")).isFalse();
            assertThat(rt.ready()).isTrue();
        }
    }

    @Test
    void listedSensorIdsAreTheOnlyOnesAndAreWatched() throws Exception {
        try (NodeHarness node =
                start(new JsonObject().put("sensorIds", new JsonArray().add("top")), 300)) {
            NodeRuntime rt = node.runtime();
            push(rt, new PushMessage(PushMessage.Kind.POINT_CLOUD, "rear", 5L, new byte[16]), 0);
            push(rt, new PushMessage(PushMessage.Kind.POINT_CLOUD, "top", 5L, new byte[16]), 1);
            node.awaitSection(
                    "push",
                    s -> s.getLong("pointClouds", 0L) == 1 && s.getLong("bad", 0L) == 1,
                    30,
                    "one taken, one refused");
            assertThat(rt.metrics().badInputs(BadInputReason.UNKNOWN_SENSOR)).isEqualTo(1);
            Await.until(() -> !rt.ready(), 30, "the listed sensor stalls the node");
            assertThat(node.section("sensors").getJsonObject("top").getBoolean("stalled")).isTrue();
        }
    }
}

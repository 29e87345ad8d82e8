package dev.fusionnode.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Foxglove's own recorder ({@code mcap-record} of npm {@code @foxglove/ws-protocol-examples})
 * records the node's {@code /ws} channels while it segments 12 frames of the sample drive; npm
 * {@code @mcap/core} + {@code @mcap/support} read the file back: the schemas, one channel per
 * advertised topic, and exactly one message per published frame on each.
 */
class McapRecordIT {
    private static final int FRAMES = 12;

    @TempDir Path tmp;

    @Test
    void mcapRecordCapturesEveryChannel() throws Exception {
        Path examples = NpmPeers.module("@foxglove/ws-protocol-examples");
        Path core = NpmPeers.module("@mcap/core");
        Peer.requireNpm("@foxglove/ws-protocol-examples", "@mcap/core", "@mcap/support");
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put(
                                "replay",
                                new JsonObject()
                                        .put("playlist", "replay/sample-drive.json")
                                        .put("mode", "lossless")
                                        .put("loop", false)
                                        .put("maxFrames", FRAMES)
                                        .put("startPaused", true))
                        .put("pipeline", new JsonObject().put("blockingThreads", 1))
                        .put("inference", NodeConfigs.microFusion())
                        .put("mqtt", new JsonObject().put("enabled", false))
                        .put("training", new JsonObject().put("enabled", false));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        Path mcap = tmp.resolve("drive.mcap");
        Process rec = null;
        AtomicLong encoded = new AtomicLong();
        AtomicLong withLidar = new AtomicLong();
        try {
            rt.vertx()
                    .eventBus()
                    .<EncodedFrame>localConsumer(
                            Addresses.ENCODED,
                            m -> {
                                encoded.incrementAndGet();
                                if (!m.body().frame().fused().cameraOnly()) {
                                    withLidar.incrementAndGet();
                                }
                            });
            ProcessBuilder recorder =
                    new ProcessBuilder(
                                    "node",
                                    examples.resolve("dist/cjs/ws-protocol-examples/src/index.js")
                                            .toString(),
                                    "mcap-record",
                                    "ws://127.0.0.1:" + rt.httpPort() + "/ws",
                                    "-o",
                                    mcap.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(tmp.resolve("mcap-record.log").toFile());
            rec = recorder.start();
            awaitTrue(
                    () -> node.section("websocket").getInteger("subscriptions") >= 5,
                    rec,
                    "mcap-record subscribed");
            NodeConfigs.resume(rt);
            awaitTrue(
                    () ->
                            "finished".equals(node.section("replay").getString("state"))
                                    && node.section("output").getLong("frames") >= FRAMES,
                    rec,
                    "replay finished");
            // every frame's messages are written to the socket; closing the node closes the
            // connection after them, and mcap-record, on the close, writes what it has read,
            // finishes the file and exits
            node.awaitNoFrameInFlight(60);
            rt.close();
            assertThat(rec.waitFor(60, TimeUnit.SECONDS))
                    .as("mcap-record finishes the file and exits when the node closes")
                    .isTrue();
        } finally {
            if (rec != null && rec.isAlive()) {
                rec.destroyForcibly();
            }
            rt.close();
        }
        long frames = encoded.get();
        long lidarFrames = withLidar.get();
        assertThat(frames).isPositive();

        JsonObject summary = NpmPeers.mcapSummary(mcap);

        Map<String, String> schemas = new HashMap<>();
        for (Object o : summary.getJsonArray("schemas")) {
            JsonObject s = (JsonObject) o;
            schemas.put(s.getString("name"), s.getString("encoding"));
        }
        assertThat(schemas)
                .containsEntry("foxglove.CompressedImage", "jsonschema")
                .containsEntry("foxglove.PointCloud", "jsonschema")
                .containsEntry("fusion_node.FrameMeta", "jsonschema");
        Map<String, JsonObject> channels = new HashMap<>();
        JsonArray list = summary.getJsonArray("channels");
        for (Object o : list) {
            JsonObject c = (JsonObject) o;
            channels.put(c.getString("topic"), c);
        }
        assertThat(channels)
                .containsOnlyKeys(
                        "/front/image",
                        "/front/mask",
                        "/front/overlay",
                        "/front/lidar",
                        "/front/meta",
                        "/front/confidence");
        for (String t :
                new String[] {
                    "/front/image",
                    "/front/mask",
                    "/front/overlay",
                    "/front/meta",
                    "/front/confidence"
                }) {
            assertThat(channels.get(t).getLong("count")).as(t).isEqualTo(frames);
            assertThat(channels.get(t).getString("messageEncoding")).isEqualTo("json");
        }
        assertThat(channels.get("/front/mask").getString("schema"))
                .isEqualTo("foxglove.CompressedImage");
        assertThat(channels.get("/front/lidar").getString("schema"))
                .isEqualTo("foxglove.PointCloud");
        assertThat(channels.get("/front/lidar").getLong("count")).isEqualTo(lidarFrames);
        assertThat(summary.getLong("messageCount")).isEqualTo(5 * frames + lidarFrames);
        JsonObject mask = summary.getJsonObject("first").getJsonObject("/front/mask");
        assertThat(mask.getString("format")).isEqualTo("png");
        assertThat(mask.getString("data")).startsWith("89504e47");
        JsonObject confidence = summary.getJsonObject("first").getJsonObject("/front/confidence");
        assertThat(confidence.getString("format")).isEqualTo("png");
        assertThat(confidence.getString("data")).startsWith("89504e47");
    }

    private void awaitTrue(BooleanSupplier cond, Process rec, String what) {
        Awaitility.await(what)
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .failFast(
                        "mcap-record exited: " + tmp.resolve("mcap-record.log"),
                        () -> !rec.isAlive())
                .until(cond::getAsBoolean);
    }
}

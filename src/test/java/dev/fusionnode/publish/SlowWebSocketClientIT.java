package dev.fusionnode.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Foxglove clients in their own processes watch the node segment the 100 frames of the sample
 * drive: one on a thin link (it stops reading, with a 16 KiB socket receive buffer) and one fast
 * (Foxglove's own {@code FoxgloveClient}). The slow one loses messages and is told so by a status
 * warning, the drops are counted, and neither the pipeline nor the fast client loses a frame.
 */
class SlowWebSocketClientIT {
    private static final int FRAMES = 100;

    @TempDir Path tmp;

    @Test
    void aSlowClientLosesMessagesAloneAndIsWarned() throws Exception {
        Path wsProtocol = NpmPeers.module("@foxglove/ws-protocol");
        Peer.requireNpm("@foxglove/ws-protocol", "ws");
        JsonObject json =
                new JsonObject()
                        .put(
                                "http",
                                new JsonObject()
                                        .put("host", "127.0.0.1")
                                        .put("port", 0)
                                        .put("wsClientQueueBytes", 64 * 1024))
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
        Process slow = null;
        Process fast = null;
        AtomicLong encoded = new AtomicLong();
        try {
            rt.vertx()
                    .eventBus()
                    .<EncodedFrame>localConsumer(Addresses.ENCODED, m -> encoded.incrementAndGet());
            String url = "ws://127.0.0.1:" + rt.httpPort() + "/ws";
            slow =
                    new ProcessBuilder(
                                    "python3",
                                    "src/test/python/slow_ws_client.py",
                                    Integer.toString(rt.httpPort()))
                            .redirectErrorStream(true)
                            .redirectOutput(tmp.resolve("slow.txt").toFile())
                            .start();
            fast =
                    new ProcessBuilder(
                                    "node",
                                    "src/test/js/foxglove_count.mjs",
                                    wsProtocol.getParent().getParent().toString(),
                                    url,
                                    "4000",
                                    "180")
                            .redirectErrorStream(true)
                            .redirectOutput(tmp.resolve("fast.txt").toFile())
                            .start();
            Await.until(
                    () -> node.section("websocket").getInteger("subscriptions") >= 10,
                    180,
                    "both clients subscribed");
            NodeConfigs.resume(rt);
            Await.until(
                    () ->
                            "finished".equals(node.section("replay").getString("state"))
                                    && node.section("output").getLong("frames") >= FRAMES,
                    180,
                    "the replay finished");
            assertThat(fast.waitFor(60, TimeUnit.SECONDS)).as("fast client done").isTrue();
            try (OutputStream in = slow.getOutputStream()) {
                in.write('\n'); // the slow client starts reading again
            }
            assertThat(slow.waitFor(60, TimeUnit.SECONDS)).as("slow client done").isTrue();
        } finally {
            for (Process p : new Process[] {slow, fast}) {
                if (p != null && p.isAlive()) {
                    p.destroyForcibly();
                }
            }
            rt.close();
        }
        double dropped =
                rt.registry()
                        .counter("fusionnode.publish.dropped", "transport", "websocket")
                        .count();
        assertThat(encoded.get()).isEqualTo(FRAMES);

        JsonObject f = lastJson(tmp.resolve("fast.txt"));
        for (String t :
                new String[] {
                    "/front/image",
                    "/front/mask",
                    "/front/overlay",
                    "/front/meta",
                    "/front/confidence"
                }) {
            assertThat(f.getJsonObject("counts").getLong(t))
                    .as("fast client, " + t)
                    .isEqualTo(FRAMES);
        }
        assertThat(f.getJsonArray("status")).as("no warning for the fast client").isEmpty();

        JsonObject s = lastJson(tmp.resolve("slow.txt"));
        long slowMessages =
                s.getJsonObject("binary").stream()
                        .mapToLong(e -> ((Number) e.getValue()).longValue())
                        .sum();
        long lidarFrames = f.getJsonObject("counts").getLong("/front/lidar");
        assertThat(slowMessages)
                .as("the slow client lost messages: " + s.encode())
                .isLessThan(5L * FRAMES + lidarFrames);
        assertThat(dropped)
                .as("drops counted")
                .isEqualTo((double) (5L * FRAMES + lidarFrames - slowMessages));
        assertThat(
                        s.getJsonArray("status").stream()
                                .map(o -> ((JsonObject) o).getString("message")))
                .as("a status warning")
                .anyMatch(m -> m.startsWith("client too slow"));
        assertThat(s.getJsonArray("status").getJsonObject(0).getInteger("level")).isEqualTo(1);
    }

    private static JsonObject lastJson(Path out) throws Exception {
        String text = Files.readString(out);
        return new JsonObject(
                text.lines()
                        .filter(l -> l.startsWith("{"))
                        .reduce((a, b) -> b)
                        .orElseThrow(() -> new AssertionError(text)));
    }
}

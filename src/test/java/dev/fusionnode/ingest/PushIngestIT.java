package dev.fusionnode.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sensors pushed by another process: FNS1 messages (a PNG camera image, a point cloud) published
 * with Debian {@code mosquitto_pub} to {@code <prefix>/sensors/...} on the embedded broker and sent
 * with npm {@code ws} to the {@code /ingest} WebSocket come out as camera frames and scans with the
 * sent sensor ids, times, pixels and points; a garbled message is counted and the node goes on.
 */
class PushIngestIT {
    @TempDir Path dir;

    @Test
    void mqttAndWebSocketPushes() throws Exception {
        Peer.MOSQUITTO_CLIENTS.require();
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put("inference", NodeConfigs.microFusion())
                        .put("training", new JsonObject().put("enabled", false))
                        .put(
                                "mqtt",
                                new JsonObject().put("embedded", new JsonObject().put("port", 0)));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        List<CameraFrame> cams = new CopyOnWriteArrayList<>();
        List<LidarScan> scans = new CopyOnWriteArrayList<>();
        try {
            var bus = rt.vertx().eventBus();
            bus.<CameraFrame>localConsumer(Addresses.CAMERA, m -> cams.add(m.body()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            bus.<LidarScan>localConsumer(Addresses.LIDAR, m -> scans.add(m.body()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            Path png = Path.of("recordings/sample-drive/camera/frame_000010.png");
            Image image = ImageCodec.read(png, ImageCodec.Channels.RGB);
            float[] points = {1.5f, -2f, 0.25f, 40f, 10f, 0f, -1f, 7f};
            ByteBuffer pb = ByteBuffer.allocate(points.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            pb.asFloatBuffer().put(points);
            Path camMsg = dir.resolve("cam.fns");
            Files.write(
                    camMsg,
                    new PushMessage(
                                    PushMessage.Kind.CAMERA,
                                    "front",
                                    1_000L,
                                    Files.readAllBytes(png))
                            .toBytes());
            Path cloudMsg = dir.resolve("cloud.fns");
            Files.write(
                    cloudMsg,
                    new PushMessage(PushMessage.Kind.POINT_CLOUD, "top", 990L, pb.array())
                            .toBytes());
            Path garbled = dir.resolve("bad.fns");
            Files.write(garbled, "FNS1 but not really".getBytes());

            int port = rt.mqtt().orElseThrow().embeddedPort();
            for (String[] m :
                    new String[][] {
                        {"fusion/sample/sensors/lidar/top", cloudMsg.toString()},
                        {"fusion/sample/sensors/camera/front", camMsg.toString()},
                        {"fusion/sample/sensors/camera/front", garbled.toString()}
                    }) {
                Process p =
                        new ProcessBuilder(
                                        "mosquitto_pub",
                                        "-h",
                                        "127.0.0.1",
                                        "-p",
                                        String.valueOf(port),
                                        "-t",
                                        m[0],
                                        "-f",
                                        m[1])
                                .redirectErrorStream(true)
                                .start();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
            Await.until(() -> cams.size() == 1 && scans.size() == 1, 20, "one frame and one scan");
            Await.until(
                    () -> rt.metrics().badInputs(BadInputReason.MALFORMED_CLIENT_MESSAGE) == 1,
                    20,
                    "the garbled message counted");
            check(cams.get(0), image, 1_000L);
            assertThat(scans.get(0).sensorId()).isEqualTo("top");
            assertThat(scans.get(0).timeNs()).isEqualTo(990L);
            assertThat(scans.get(0).points().size()).isEqualTo(2);
            assertThat(Arrays.copyOf(scans.get(0).points().unsafeArray(), 8))
                    .containsExactly(points);

            Path ws = NpmPeers.module("ws");
            if (ws != null) {
                Process p =
                        new ProcessBuilder(
                                        "node",
                                        "src/test/js/push_ws.mjs",
                                        ws.getParent().toString(),
                                        "ws://127.0.0.1:" + rt.httpPort() + "/ingest",
                                        cloudMsg.toString(),
                                        camMsg.toString(),
                                        garbled.toString())
                                .redirectErrorStream(true)
                                .start();
                String out = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(out).contains("sent 3");
                Await.until(
                        () -> cams.size() == 2 && scans.size() == 2, 20, "pushed over WebSocket");
                Await.until(
                        () -> rt.metrics().badInputs(BadInputReason.MALFORMED_CLIENT_MESSAGE) == 2,
                        20,
                        "the second garbled message counted");
                check(cams.get(1), image, 1_000L);
                assertThat(cams.get(1).seq()).isEqualTo(1);
            }
            JsonObject status = rt.status().snapshot().getJsonObject("push");
            assertThat(status.getString("lastError")).contains("has kind 32");
        } finally {
            rt.close();
        }
    }

    private static void check(CameraFrame f, Image expected, long timeNs) {
        assertThat(f.sensorId()).isEqualTo("front");
        assertThat(f.captureTimeNs()).isEqualTo(timeNs);
        assertThat(f.image().samePixels(expected)).isTrue();
    }
}

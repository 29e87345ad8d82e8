package dev.fusionnode.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.TestData;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.KittiCalibration;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.KittiRos;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node against a stand-in for {@code foxglove_bridge} made with npm {@code
 * @foxglove/ws-protocol}'s {@code FoxgloveServer}, whose {@code ros2msg} channels carry KITTI frame
 * 000000 serialised by {@code @foxglove/rosmsg2-serialization}: the node subscribes by type, is
 * calibrated by the bridge's CameraInfo and {@code /tf_static} (20,285 points land, as KITTI's own
 * calibration gives), counts the malformed message, and publishes every mask back through the
 * bridge as a {@code mono8} image with the camera image's stamp and frame id, which the server
 * decodes with the schema the node advertised. When the bridge goes away and comes back on the same
 * port, the node reconnects and frames flow again.
 */
class BridgeIT {
    @TempDir static Path dir;
    private static Path raw;
    private static Image kitti;
    private static double[] calibration;

    @BeforeAll
    static void frame() throws Exception {
        Peer.requireNpm(
                "@foxglove/ws-protocol",
                "ws",
                "@foxglove/rosmsg2-serialization",
                "@foxglove/rosmsg");
        kitti =
                ImageCodec.read(
                        TestData.kitti().resolve("image_2/000000.png"), ImageCodec.Channels.RGB);
        raw = KittiRos.rawPixels(kitti, dir.resolve("000000.rgb"));
        calibration =
                KittiRos.rosCalibration(
                        KittiCalibration.read(
                                TestData.kitti().resolve("calib/000000.txt"),
                                kitti.width(),
                                kitti.height()));
    }

    /** The npm server as a process whose JSON lines are collected as they come. */
    private static final class Server implements AutoCloseable {
        final Process process;
        final List<JsonObject> events = new CopyOnWriteArrayList<>();

        Server(int port, int frames) throws Exception {
            List<String> cmd =
                    new ArrayList<>(
                            List.of(
                                    "node",
                                    "src/test/js/bridge_server.mjs",
                                    NpmPeers.prefix().resolve("node_modules").toString(),
                                    Integer.toString(port),
                                    raw.toString(),
                                    Integer.toString(kitti.width()),
                                    Integer.toString(kitti.height()),
                                    TestData.kitti().resolve("velodyne/000000.bin").toString(),
                                    Integer.toString(frames),
                                    "300"));
            for (double v : calibration) {
                cmd.add(Double.toString(v));
            }
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread reader =
                    new Thread(
                            () -> {
                                try (BufferedReader r =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        process.getInputStream(),
                                                        StandardCharsets.UTF_8))) {
                                    String line;
                                    while ((line = r.readLine()) != null) {
                                        if (line.startsWith("{")) {
                                            events.add(new JsonObject(line));
                                        } else {
                                            System.err.println("bridge server: " + line);
                                        }
                                    }
                                } catch (Exception e) {
                                    // the process ended
                                }
                            },
                            "bridge-server-output");
            reader.setDaemon(true);
            reader.start();
        }

        List<JsonObject> of(String event) {
            return events.stream().filter(e -> event.equals(e.getString("event"))).toList();
        }

        int port() {
            Await.until(() -> !of("listening").isEmpty(), 60, "the bridge server listening");
            return of("listening").get(0).getInteger("port");
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void framesInFromTheBridgeAndMasksBackToIt() throws Exception {
        int frames = 4;
        Server first = new Server(0, frames);
        int port = first.port();
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microAt64(1, 0))
                        .put(
                                "bridge",
                                new JsonObject()
                                        .put("url", "ws://127.0.0.1:" + port)
                                        .put("reconnectMinMs", 100)
                                        .put("reconnectMaxMs", 400))
                        .put("training", NodeConfigs.trainingOff());
        try (NodeHarness node =
                NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true)) {
            List<Integer> landed = new CopyOnWriteArrayList<>();
            node.vertx()
                    .eventBus()
                    .<FusedFrame>localConsumer(
                            Addresses.FUSED, m -> landed.add(m.body().pointsInImage()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            try (first) {
                Await.until(() -> !first.of("done").isEmpty(), 120, "the bridge sent its frames");
                Await.until(
                        () -> first.of("mask").size() >= frames - 1,
                        120,
                        "masks published back to the bridge");
                assertThat(first.of("subscribed").stream().map(e -> e.getString("topic")))
                        .contains(
                                "/camera/image_raw",
                                "/velodyne_points",
                                "/camera/camera_info",
                                "/tf_static");
                assertThat(first.of("advertise")).hasSize(1);
                JsonObject ad = first.of("advertise").get(0);
                assertThat(ad.getString("topic")).isEqualTo("/fusion/front/mask");
                assertThat(ad.getString("schemaName")).isEqualTo("sensor_msgs/msg/Image");
                assertThat(ad.getString("schemaEncoding")).isEqualTo("ros2msg");
                List<String> sent =
                        first.of("sent").stream().map(e -> e.getString("stamp")).toList();
                for (JsonObject mask : first.of("mask")) {
                    assertThat(mask.getString("topic")).isEqualTo("/fusion/front/mask");
                    assertThat(mask.getString("encoding")).isEqualTo("mono8");
                    assertThat(mask.getInteger("width")).isEqualTo(kitti.width());
                    assertThat(mask.getInteger("height")).isEqualTo(kitti.height());
                    assertThat(mask.getInteger("step")).isEqualTo(kitti.width());
                    assertThat(mask.getInteger("length")).isEqualTo(kitti.width() * kitti.height());
                    assertThat(mask.getString("frame_id")).isEqualTo("camera");
                    assertThat(mask.getString("stamp")).isIn(sent);
                }
                assertThat(landed).isNotEmpty().allMatch(n -> n == 20285);
                JsonObject status =
                        node.awaitSection(
                                "bridge",
                                s -> s.getLong("bad", 0L) >= 1,
                                60,
                                "the malformed image counted");
                assertThat(status.getBoolean("connected")).isTrue();
                assertThat(status.getLong("calibrations")).isEqualTo(1);
                assertThat(status.getLong("cameraFrames")).isEqualTo(frames);
                assertThat(status.getString("lastError")).contains("/camera/image_raw");
                assertThat(node.scrape())
                        .containsPattern(
                                "fusionnode_input_bad_total\\{[^}]*reason=\"malformed_ros_message\"[^}]*} [1-9]");
            }
            Await.until(
                    () -> !node.section("bridge").getBoolean("connected"),
                    60,
                    "the node sees the bridge gone");
            try (Server second = new Server(port, 2)) {
                Await.until(
                        () -> second.of("mask").size() >= 1,
                        120,
                        "masks again after the bridge came back");
                assertThat(node.section("bridge").getLong("connects")).isGreaterThanOrEqualTo(2);
            }
        }
    }
}

package dev.fusionnode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the viewer page in headless Debian Chromium (driven by npm {@code playwright-core}) while
 * the node segments the sample drive: the page receives frames over {@code /ws}, counts them, and
 * its canvas (and the screenshot) shows a non-empty overlay.
 */
class ViewerChromiumIT {
    @TempDir Path tmp;

    @Test
    void chromiumShowsTheLiveOverlay() throws Exception {
        Peer.CHROMIUM.require();
        Peer.requireNpm("playwright-core");
        Path pw = NpmPeers.module("playwright-core");
        JsonObject inference = NodeConfigs.microFusion();
        NodeHarness node =
                NodeHarness.start(
                        NodeConfigs.withInference(
                                Path.of("replay/sample-drive.json"), 4, inference),
                        true);
        NodeRuntime rt = node.runtime();
        try {
            CountDownLatch first = new CountDownLatch(1);
            rt.vertx()
                    .eventBus()
                    .<EncodedFrame>localConsumer(Addresses.ENCODED, m -> first.countDown());
            NodeConfigs.resume(rt);
            assertThat(first.await(120, TimeUnit.SECONDS)).isTrue();
            Path shot = tmp.resolve("viewer.png");
            Process p =
                    new ProcessBuilder(
                                    "node",
                                    Path.of("src/test/js/viewer_screenshot.mjs").toString(),
                                    pw.toString(),
                                    "http://127.0.0.1:" + rt.httpPort() + "/",
                                    shot.toString())
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(150, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            String last = out.strip().lines().reduce((a, b) -> b).orElse("{}");
            JsonObject r = new JsonObject(last);
            assertThat(r.getInteger("frames")).isGreaterThanOrEqualTo(3);
            assertThat(r.getInteger("width")).isEqualTo(320);
            assertThat(r.getInteger("nonEmpty")).as("coloured pixels").isGreaterThan(320 * 180 / 2);
            assertThat(r.getString("model")).isEqualTo("random-1");
            assertThat(r.getInteger("confidenceWidth")).isEqualTo(320);
            assertThat(r.getInteger("confidenceGrey"))
                    .as("grey confidence pixels drawn")
                    .isGreaterThan(320 * 180 / 2);
            assertThat(r.getString("unfamiliarity")).endsWith("%");
            Image screenshot = ImageCodec.read(shot, ImageCodec.Channels.RGB);
            assertThat(screenshot.width()).isGreaterThan(320);
        } finally {
            rt.close();
        }
    }

    /**
     * The six-camera sample drive: the viewer shows a grid with every camera's overlay (from each
     * camera's own Foxglove channels) and the camera picked from the grid large.
     */
    @Test
    void chromiumShowsEveryCameraOfARig() throws Exception {
        Peer.CHROMIUM.require();
        Peer.requireNpm("playwright-core");
        Path pw = NpmPeers.module("playwright-core");
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microAt64(6, 100).put("batching", "instant"))
                        .put(
                                "replay",
                                new JsonObject()
                                        .put("playlist", "replay/six-camera-sample.json")
                                        .put("mode", "lossless"))
                        .put("pipeline", new JsonObject().put("maxInFlight", 12))
                        .put("training", NodeConfigs.trainingOff());
        try (NodeHarness node =
                NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true)) {
            Path shot = tmp.resolve("viewer-rig.png");
            Process p =
                    new ProcessBuilder(
                                    "node",
                                    Path.of("src/test/js/viewer_grid.mjs").toString(),
                                    pw.toString(),
                                    "http://127.0.0.1:" + node.httpPort() + "/",
                                    "6",
                                    "back",
                                    System.getProperty("viewer.rigScreenshot", shot.toString()))
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(200, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            JsonObject r = new JsonObject(out.strip().lines().reduce((a, b) -> b).orElse("{}"));
            assertThat(r.getJsonArray("cameras").getList())
                    .containsExactlyInAnyOrder(
                            "front",
                            "front_left",
                            "front_right",
                            "back_left",
                            "back_right",
                            "back");
            assertThat(r.getInteger("drawnTiles")).isEqualTo(6);
            assertThat(r.getString("selected")).isEqualTo("back");
        }
    }
}

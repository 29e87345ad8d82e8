package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.SegmentedFrame;
import dev.fusionnode.synth.Condition;
import dev.fusionnode.synth.DriveGenerator;
import dev.fusionnode.synth.SynthOptions;
import dev.fusionnode.synth.SynthProfile;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out-of-distribution frames: the demo model replays a synthetic drive and the same drive with
 * objects of no class it was trained on (a moose, a road-works barrier, balloons, spilled cargo;
 * {@code synth --unknown-objects}). The unknown drive's frames have a larger share of
 * low-confidence pixels, and the node keeps more of them as hard frames for annotation, each with
 * its camera and LiDAR images and why it was kept.
 */
class HardFrameCaptureIT {
    private static final int FRAMES = 80;
    private static final double THRESHOLD = 0.10;

    @TempDir Path tmp;

    private record Run(Map<String, Double> unfamiliarity, List<UnlabelledStore.Entry> kept) {
        double mean() {
            return unfamiliarity.values().stream().mapToDouble(d -> d).average().orElseThrow();
        }
    }

    private Path drive(String name, boolean unknown) throws Exception {
        Path out = tmp.resolve(name);
        new DriveGenerator(
                        new SynthOptions(
                                out,
                                FRAMES,
                                41,
                                SynthProfile.ZOD,
                                List.of(Condition.DAY_FAIR, Condition.NIGHT_FAIR),
                                320,
                                180,
                                32,
                                1.4,
                                1,
                                10,
                                1_700_000_000_000_000_000L,
                                SynthOptions.FAST_PNG,
                                2,
                                unknown))
                .generate(n -> {});
        return out;
    }

    private Run replay(Path drive) throws Exception {
        Path dir = tmp.resolve(drive.getFileName() + "-node");
        Files.createDirectories(dir);
        Path playlist = dir.resolve("playlist.json");
        Files.writeString(
                playlist,
                new JsonObject()
                        .put("name", drive.getFileName().toString())
                        .put("recording", drive.toString())
                        .put("rate", "max")
                        .put("loop", false)
                        .encode());
        JsonObject json =
                NodeConfigs.learning(
                        playlist,
                        false,
                        new JsonObject()
                                .put("model", NodeConfigs.demoFusion())
                                .put("device", "cpu"),
                        NodeConfigs.training(dir)
                                .put(
                                        "hardFrames",
                                        new JsonObject()
                                                .put("threshold", THRESHOLD)
                                                .put("minIntervalMs", 0)
                                                // a max-rate replay segments frames in bursts
                                                // (batches of 4); room for every frame keeps
                                                // the count exact however slow the disk is
                                                .put("maxPending", FRAMES)));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        Map<String, Double> seen = new ConcurrentHashMap<>();
        try {
            rt.vertx()
                    .eventBus()
                    .<SegmentedFrame>localConsumer(
                            Addresses.SEGMENTED,
                            m -> {
                                var cam = m.body().fused().camera();
                                seen.put(cam.origin(), m.body().unfamiliarity());
                            });
            NodeConfigs.resume(rt);
            Await.until(() -> seen.size() >= FRAMES, 300, FRAMES + " frames segmented");
            UnlabelledStore kept = rt.training().orElseThrow().unlabelled();
            long expected = seen.values().stream().filter(u -> u >= THRESHOLD).count();
            var metrics = rt.metrics();
            // every frame at the threshold is kept or counted as skipped (once the writer is done)
            Await.until(
                    () ->
                            metrics.learningFrames("hard_captured")
                                            + metrics.learningFrames("hard_skipped")
                                    >= expected,
                    60,
                    expected + " hard frames captured or skipped");
            assertThat(metrics.learningFrames("hard_skipped"))
                    .as("hard frames skipped because the writer fell behind")
                    .isZero();
            assertThat(kept.size()).isEqualTo(expected);
            // the annotator's view: the list and a kept camera image over HTTP
            var http = HttpClient.newHttpClient();
            String api = "http://127.0.0.1:" + rt.httpPort() + "/api/unlabelled";
            JsonObject listed =
                    new JsonObject(
                            http.send(
                                            HttpRequest.newBuilder(URI.create(api + "?reason=hard"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body());
            assertThat(listed.getJsonArray("frames").size())
                    .isEqualTo(kept.size(UnlabelledStore.HARD));
            if (kept.size() > 0) {
                long id = kept.entries().get(0).id();
                var png =
                        http.send(
                                HttpRequest.newBuilder(URI.create(api + "/" + id + "/camera.png"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                assertThat(png.statusCode()).isEqualTo(200);
                var img = javax.imageio.ImageIO.read(new ByteArrayInputStream(png.body()));
                assertThat(img.getWidth()).isEqualTo(320);
            }
            return new Run(Map.copyOf(seen), kept.entries());
        } finally {
            rt.close();
        }
    }

    @Test
    void framesWithUnknownObjectsAreLessFamiliarAndKeptForAnnotation() throws Exception {
        Run normal = replay(drive("normal", false));
        Run unknown = replay(drive("unknown", true));

        System.out.printf(
                Locale.ROOT,
                "unfamiliarity mean: normal %.4f, unknown objects %.4f; hard frames kept (>= %.2f):"
                        + " normal %d, unknown %d of %d%n",
                normal.mean(),
                unknown.mean(),
                THRESHOLD,
                normal.kept().size(),
                unknown.kept().size(),
                FRAMES);
        assertThat(unknown.mean())
                .as("mean share of low-confidence pixels, unknown objects vs the same drive")
                .isGreaterThan(normal.mean() * 1.1);
        int higher = 0;
        for (var e : normal.unfamiliarity().entrySet()) {
            String twin = e.getKey().replace("/normal/", "/unknown/");
            if (unknown.unfamiliarity().get(twin) > e.getValue()) {
                higher++;
            }
        }
        assertThat(higher).as("frames less familiar than their twin").isGreaterThan(FRAMES / 2);

        assertThat(unknown.kept().size())
                .as("hard frames kept: unknown drive vs normal drive (%d)", normal.kept().size())
                .isGreaterThanOrEqualTo(Math.max(5, 2 * normal.kept().size()));
        for (UnlabelledStore.Entry e : unknown.kept()) {
            assertThat(e.reason()).isEqualTo(UnlabelledStore.HARD);
            assertThat(e.meta().getDouble("unfamiliarity")).isGreaterThanOrEqualTo(THRESHOLD);
            assertThat(e.meta().getString("origin")).contains("/unknown/camera/");
            assertThat(e.camera()).isRegularFile();
            assertThat(e.lidar()).isPresent();
        }
    }
}

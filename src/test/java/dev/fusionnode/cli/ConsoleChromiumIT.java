package dev.fusionnode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.learning.FineTuneService;
import dev.fusionnode.learning.store.AnnotationStore;
import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator console ({@code /console/}) in headless Debian Chromium (npm {@code
 * playwright-core}) against a node replaying the sample drive with every frame kept as hard: a
 * person's loop from the live view through annotating a hard frame, a fine-tune watched to its
 * outcome, to activating another version and seeing the live frames come from it; and a node with
 * an API token, where the page says what to do until the token is given. Screenshots go to {@code
 * -Dconsole.screenshots} (docs/images for the documentation), a temporary folder otherwise.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ConsoleChromiumIT {
    private static final String TOKEN = "console-test-token-0123456789";

    @TempDir Path tmp;

    private Path shots() throws Exception {
        Path dir = Path.of(System.getProperty("console.screenshots", tmp.toString()));
        Files.createDirectories(dir);
        return dir;
    }

    /** A node replaying the sample drive's first frames in a loop, every frame kept as hard. */
    private JsonObject learningNode(Path dir) {
        JsonObject json =
                NodeConfigs.learning(
                        Path.of("replay/sample-drive.json"),
                        true,
                        NodeConfigs.microFusion(),
                        NodeConfigs.trainingEveryFrameHard(dir));
        json.getJsonObject("replay").put("maxFrames", 6);
        return json;
    }

    private static JsonObject run(List<String> command, int seconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        // stderr is the script's progress log: kept for the failure message
        var err = new ByteArrayOutputStream();
        Thread drain =
                new Thread(
                        () -> {
                            try {
                                p.getErrorStream().transferTo(err);
                            } catch (IOException e) {
                                // the process ended
                            }
                        });
        drain.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as("the script ends").isTrue();
        drain.join();
        String log = out + err.toString(StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(log).isZero();
        return new JsonObject(out.strip().lines().reduce((a, b) -> b).orElse("{}"));
    }

    /**
     * Verifies that a person can go through the learning loop in the console: the live view shows
     * frames and LiDAR points, the replay pauses and resumes from it, a hard frame opened with the
     * served model's mask is painted with the brush and a polygon and saved (the stored annotation
     * has those pixels, the frame leaves the queue), a fine-tune started from the page reaches its
     * outcome there, and the version activated from the Models view serves the live frames.
     */
    @Test
    void aPersonGoesThroughTheLearningLoop() throws Exception {
        Peer.CHROMIUM.require();
        Peer.requireNpm("playwright-core");
        Path pw = NpmPeers.module("playwright-core");
        try (NodeHarness node =
                NodeHarness.start(
                        NodeOptions.fromJson(learningNode(tmp.resolve("node")), "test", Map.of()),
                        true)) {
            NodeRuntime rt = node.runtime();
            FineTuneService svc = rt.training().orElseThrow();
            // earlier annotations: with the one made in the page, enough for a fine-tune of batch 2
            Path drive = Path.of("recordings/sample-drive");
            for (String name :
                    List.of("frame_000010.png", "frame_000020.png", "frame_000030.png")) {
                svc.store()
                        .add(
                                ImageCodec.read(
                                        drive.resolve("camera").resolve(name),
                                        ImageCodec.Channels.RGB),
                                Optional.of(
                                        ImageCodec.read(
                                                drive.resolve("lidar_png").resolve(name),
                                                ImageCodec.Channels.RGB)),
                                ImageCodec.read(
                                        drive.resolve("annotation_camera_only").resolve(name),
                                        ImageCodec.Channels.AS_STORED));
            }
            NodeConfigs.resume(rt);
            Await.until(
                    () -> svc.unlabelled().size(UnlabelledStore.HARD) >= 2,
                    180,
                    "hard frames kept");
            String before = rt.inference().orElseThrow().current().model().version();

            JsonObject r =
                    run(
                            List.of(
                                    "node",
                                    "src/test/js/console_loop.mjs",
                                    pw.toString(),
                                    "http://127.0.0.1:" + rt.httpPort(),
                                    shots().toString()),
                            600);

            // the page painted what it meant to
            int brush = r.getInteger("brushClass");
            int polygon = r.getInteger("polygonClass");
            assertThat(r.getJsonObject("painted").getInteger("rect")).isEqualTo(brush);
            assertThat(r.getJsonObject("painted").getInteger("polygon")).isEqualTo(polygon);
            JsonObject stray = r.getJsonObject("stray");
            assertThat(stray.getInteger("painted")).isNotEqualTo(stray.getInteger("before"));
            assertThat(stray.getInteger("after"))
                    .as("undone")
                    .isEqualTo(stray.getInteger("before"));
            // the stored annotation has those pixels, and the kept frame left the queue
            long kept = r.getLong("kept");
            long saved = r.getJsonObject("saved").getLong("id");
            assertThat(r.getJsonObject("saved").getLong("keptFrame")).isEqualTo(kept);
            assertThat(svc.unlabelled().find(kept)).isEmpty();
            Image ann =
                    ImageCodec.read(
                            svc.store()
                                    .root()
                                    .resolve(AnnotationStore.ANNOTATION)
                                    .resolve(String.format("frame_%09d.png", saved)),
                            ImageCodec.Channels.AS_STORED);
            assertThat(ann.channels()).isEqualTo(1);
            assertThat(ann.width()).isEqualTo(r.getInteger("width"));
            JsonArray rect = r.getJsonArray("rect");
            for (int y = rect.getInteger(1); y <= rect.getInteger(3); y++) {
                for (int x = rect.getInteger(0); x <= rect.getInteger(2); x++) {
                    assertThat(ann.get(x, y, 0))
                            .as("brushed pixel (%d, %d)", x, y)
                            .isEqualTo(brush);
                }
            }
            JsonArray inside = r.getJsonArray("inside");
            assertThat(ann.get(inside.getInteger(0), inside.getInteger(1), 0)).isEqualTo(polygon);
            // the fine-tune ended on the page as the API says
            JsonObject job = r.getJsonObject("job");
            assertThat(job.getString("state")).isIn("promoted", "candidate");
            assertThat(job.getJsonArray("history")).hasSize(2);
            assertThat(r.getInteger("events")).as("job events received").isGreaterThanOrEqualTo(3);
            JsonObject apiJob =
                    new JsonObject(
                            HttpCalls.get(rt.httpPort(), "/api/finetune/" + job.getString("id"))
                                    .body());
            assertThat(apiJob.getString("state")).isEqualTo(job.getString("state"));
            assertThat(r.getString("outcome"))
                    .contains(job.getJsonObject("result").getString("version"));
            // the version activated on the page serves, and the live view showed it
            String target = r.getString("target");
            assertThat(target).isNotEqualTo(r.getString("servedBefore"));
            assertThat(r.getJsonObject("after").getString("model")).isEqualTo(target);
            assertThat(rt.inference().orElseThrow().current().model().version()).isEqualTo(target);
            assertThat(r.getJsonObject("live").getInteger("points")).isPositive();
            assertThat(r.getJsonObject("live").getString("model")).isEqualTo(before);
        }
    }

    /**
     * Verifies that with an API token protecting reads too, the console says what to do without the
     * token, and that once it is pasted the live view shows frames and an action (pausing the
     * replay) works.
     */
    @Test
    void withATokenThePageSaysWhatToDoAndThenWorks() throws Exception {
        Peer.CHROMIUM.require();
        Peer.requireNpm("playwright-core");
        Path pw = NpmPeers.module("playwright-core");
        JsonObject json =
                learningNode(tmp.resolve("node"))
                        .put(
                                "security",
                                new JsonObject().put("token", TOKEN).put("protectReads", true));
        try (NodeHarness node =
                NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true)) {
            NodeRuntime rt = node.runtime();
            NodeConfigs.resume(rt);
            JsonObject r =
                    run(
                            List.of(
                                    "node",
                                    "src/test/js/console_token.mjs",
                                    pw.toString(),
                                    "http://127.0.0.1:" + rt.httpPort(),
                                    shots().toString(),
                                    TOKEN),
                            300);
            assertThat(r.getString("before")).contains("API token").contains("Use token");
            assertThat(r.getBoolean("noteHidden")).isTrue();
            assertThat(r.getString("storedToken")).isEqualTo(TOKEN);
            assertThat(r.getInteger("polledFrames")).isGreaterThanOrEqualTo(2);
            assertThat(r.getString("message")).contains("pause");
            HttpResponse<String> status =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + rt.httpPort()
                                                                    + "/api/status"))
                                            .header("Authorization", "Bearer " + TOKEN)
                                            .timeout(Duration.ofSeconds(30))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(new JsonObject(status.body()).getJsonObject("replay").getString("state"))
                    .isEqualTo("paused");
        }
    }
}

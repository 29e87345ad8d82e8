package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.StateDictNames;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live learning path: the node replays the annotated sample drive and accumulates its frames in
 * the store; a fine-tune is started over HTTP; masks keep arriving on MQTT ({@code mosquitto_sub}
 * on the meta topic) while it trains; the job finishes, and the model version in the masks' meta
 * changes to the new version exactly when the job reports that the new model was better. The job
 * skips no step for non-finite gradients, and the served model's weights stay bit-identical while
 * it trains beside them (the trainer shares no tensor with the served model).
 */
class LiveFineTuneIT {
    @TempDir Path dir;

    @Test
    void fineTuneOverHttpWhileMasksFlow() throws Exception {
        Peer.MOSQUITTO_CLIENTS.require();
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put(
                                "replay",
                                new JsonObject()
                                        .put("playlist", "replay/sample-drive.json")
                                        .put("mode", "lossless")
                                        .put("loop", true))
                        .put("pipeline", new JsonObject().put("blockingThreads", 1))
                        .put("inference", NodeConfigs.microFusion())
                        .put(
                                "mqtt",
                                new JsonObject().put("embedded", new JsonObject().put("port", 0)))
                        .put("training", NodeConfigs.training(dir).put("accumulateReplay", true));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            FineTuneService svc = rt.training().orElseThrow();
            ClftModel served = rt.inference().orElseThrow().current().model();
            String base = served.version();
            long servedWeights = digest(served);
            Await.until(() -> svc.store().size() >= 12, 180, "12 annotated frames accumulated");

            HttpClient http = HttpClient.newHttpClient();
            String api = "http://127.0.0.1:" + rt.httpPort();
            HttpResponse<String> started =
                    HttpCalls.postJson(
                            rt.httpPort(),
                            "/api/finetune",
                            "{\"epochs\": 1, \"batchSize\": 2, \"lr\": 0.001,"
                                    + " \"augment\": false}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String id = new JsonObject(started.body()).getString("id");

            int port = rt.mqtt().orElseThrow().embeddedPort();
            Await.until(
                    () -> svc.job(id).orElseThrow().state() == FineTuneJob.State.TRAINING,
                    180,
                    "training");
            var during = Mosquitto.subscribe(port, "fusion/sample/+/meta", 3, 120, dir);
            List<Mosquitto.Received> metas = during.await();
            assertThat(svc.job(id).orElseThrow().done())
                    .as("masks arrived while the job was still running")
                    .isFalse();
            assertThat(metas).hasSize(3);
            assertThat(digest(served))
                    .as("the served model's weights while the job trains beside it")
                    .isEqualTo(servedWeights);

            JsonObject job =
                    Await.value(
                            () ->
                                    new JsonObject(
                                            http.send(
                                                            HttpRequest.newBuilder(
                                                                            URI.create(
                                                                                    api
                                                                                            + "/api/finetune/"
                                                                                            + id))
                                                                    .build(),
                                                            HttpResponse.BodyHandlers.ofString())
                                                    .body()),
                            j ->
                                    List.of("promoted", "candidate", "failed", "cancelled")
                                            .contains(j.getString("state")),
                            480,
                            "the fine-tune job ended");
            assertThat(job.getString("state"))
                    .as(job.encodePrettily())
                    .isIn("promoted", "candidate");
            JsonObject result = job.getJsonObject("result");
            boolean promoted = result.getBoolean("promoted");
            assertThat(result.getLong("steps")).as(result.encode()).isPositive();
            assertThat(result.getLong("skippedSteps"))
                    .as("steps skipped for non-finite gradients")
                    .isZero();
            assertThat(promoted)
                    .isEqualTo(
                            result.getDouble("validationMiouAfter")
                                    > result.getDouble("validationMiouBefore"));
            String expected = promoted ? result.getString("version") : base;

            List<String> versions = new ArrayList<>();
            for (Mosquitto.Received m :
                    Mosquitto.subscribe(port, "fusion/sample/+/meta", 6, 120, dir).await()) {
                versions.add(
                        new JsonObject(new String(m.payload(), StandardCharsets.UTF_8))
                                .getString("modelVersion"));
            }
            assertThat(versions).hasSize(6);
            assertThat(versions.get(versions.size() - 1)).isEqualTo(expected);

            JsonObject models =
                    new JsonObject(
                            http.send(
                                            HttpRequest.newBuilder(URI.create(api + "/api/models"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body());
            assertThat(
                            models.getJsonArray("versions").stream()
                                    .map(o -> ((JsonObject) o).getString("version")))
                    .contains(base, result.getString("version"));

            // the finished run keeps its logs, not its checkpoints (the best is in the registry)
            Path run = dir.resolve("work").resolve(id);
            Await.until(() -> files(run, ".pth").isEmpty(), 60, "the run's checkpoints deleted");
            assertThat(files(run, ".json")).isNotEmpty();

            // rollback to the base version over HTTP
            HttpResponse<String> back =
                    http.send(
                            HttpRequest.newBuilder(URI.create(api + "/api/models/activate"))
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"version\": \"" + base + "\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
            assertThat(rt.inference().orElseThrow().current().model().version()).isEqualTo(base);
        } finally {
            rt.close();
        }
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A hash of every weight of {@code model}, bit for bit. */
    private static long digest(ClftModel model) {
        long h = 1;
        for (var p : StateDictNames.of(model.block()).values()) {
            h = 31 * h + Arrays.hashCode(p.getArray().toFloatArray());
        }
        return h;
    }
}

package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.learning.store.AnnotationStore;
import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.model.SegmentationOutput;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.training.TrainingSample;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The teacher in the node: while the sample drive replays (its annotated frames accumulate as human
 * labels), every second segmented frame is sampled and the teacher labels it in the background;
 * masks keep flowing. Each pseudo-labelled frame is marked, its low-confidence pixels are
 * unlabelled (255) exactly where the kept teacher confidence is under the threshold, it never lands
 * in validation, and a fine-tune job mixes it with the human frames at half weight.
 */
class AutoLabelIT {
    private static final double THRESHOLD = 0.7;

    @TempDir Path dir;

    @Test
    void teacherLabelsSampledFramesAndAFineTuneMixesThem() throws Exception {
        JsonObject demo = NodeConfigs.demoFusion();
        JsonObject json =
                NodeConfigs.learning(
                        Path.of("replay/sample-drive.json"),
                        true,
                        new JsonObject().put("model", demo).put("maxBatch", 1).put("device", "cpu"),
                        NodeConfigs.training(dir)
                                .put("accumulateReplay", true)
                                .put("sampleEvery", 2)
                                .put("hardFrames", new JsonObject().put("enabled", false))
                                .put(
                                        "teacher",
                                        new JsonObject()
                                                .put("enabled", true)
                                                .put("model", demo.copy())
                                                .put("confidenceThreshold", THRESHOLD)
                                                .put("maxPerMinute", 600)));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            FineTuneService svc = rt.training().orElseThrow();
            AtomicLong masks = new AtomicLong();
            rt.vertx().eventBus().localConsumer(Addresses.SEGMENTED, m -> masks.incrementAndGet());
            NodeConfigs.resume(rt);
            Await.until(
                    () -> svc.teacher().orElseThrow().labelled() >= 6 && svc.store().size() >= 16,
                    240,
                    "6 pseudo-labelled frames and 16 frames in the store");
            assertThat(svc.store().pseudoLabelled()).isGreaterThanOrEqualTo(6);
            long before = masks.get();
            Await.until(() -> masks.get() > before + 3, 60, "masks still flowing");

            AnnotationStore store = svc.store();
            store.writeSplits();
            Set<String> validation =
                    Set.copyOf(Files.readAllLines(store.root().resolve("validation.txt")));
            int limit = SegmentationOutput.confidenceLimit(THRESHOLD);
            int checked = 0;
            for (long id : store.ids()) {
                String name = String.format("frame_%09d.png", id);
                if (!store.isPseudo(id)) {
                    continue;
                }
                assertThat(validation).doesNotContain(AnnotationStore.CAMERA + "/" + name);
                Image ann =
                        ImageCodec.read(
                                store.root().resolve(AnnotationStore.ANNOTATION).resolve(name),
                                ImageCodec.Channels.AS_STORED);
                Image conf =
                        ImageCodec.read(
                                store.root().resolve(AnnotationStore.PSEUDO).resolve(name),
                                ImageCodec.Channels.AS_STORED);
                byte[] a = ann.copyPixels();
                byte[] c = conf.copyPixels();
                int unlabelled = 0;
                for (int i = 0; i < a.length; i++) {
                    int v = a[i] & 0xFF;
                    boolean low = (c[i] & 0xFF) < limit;
                    assertThat(v == TrainingSample.IGNORE)
                            .as("pixel %d of %s", i, name)
                            .isEqualTo(low);
                    if (!low) {
                        assertThat(v).as("a ZOD id the demo classes map to").isIn(0, 2, 3, 4);
                    } else {
                        unlabelled++;
                    }
                }
                assertThat(unlabelled).as("some pixels of %s left unlabelled", name).isPositive();
                assertThat(unlabelled).isLessThan(a.length);
                checked++;
            }
            assertThat(checked).isGreaterThanOrEqualTo(6);
            assertThat(validation).isNotEmpty();
            assertThat(svc.unlabelled().size(UnlabelledStore.SAMPLED))
                    .as("labelled frames leave the unlabelled store")
                    .isLessThan(
                            (int)
                                    (svc.teacher().orElseThrow().labelled()
                                            + svc.unlabelled().size(UnlabelledStore.SAMPLED)));

            HttpClient http = HttpClient.newHttpClient();
            String api = "http://127.0.0.1:" + rt.httpPort();
            HttpResponse<String> started =
                    HttpCalls.postJson(
                            rt.httpPort(),
                            "/api/finetune",
                            "{\"epochs\": 1, \"batchSize\": 2, \"lr\":"
                                    + " 0.0001, \"augment\": false,"
                                    + " \"pseudoWeight\": 0.5, \"mode\":"
                                    + " \"head_only\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            JsonObject params = new JsonObject(started.body()).getJsonObject("parameters");
            assertThat(params.getString("classWeights")).isEqualTo("auto");
            assertThat(params.getDouble("pseudoWeight")).isEqualTo(0.5);
            String id = new JsonObject(started.body()).getString("id");
            Await.until(() -> svc.job(id).orElseThrow().done(), 480, "the fine-tune job finished");
            FineTuneJob job = svc.job(id).orElseThrow();
            assertThat(job.state().name())
                    .as(job.toJson().encodePrettily())
                    .isIn("PROMOTED", "CANDIDATE");
            JsonObject hyper =
                    new JsonObject(
                                    Files.readString(
                                            dir.resolve("work")
                                                    .resolve(id)
                                                    .resolve("logs")
                                                    .resolve("training.json")))
                            .getJsonObject("hyperParameters");
            assertThat(hyper.getString("classWeightSource")).startsWith("auto");
            assertThat(hyper.getJsonObject("labelWeights").getDouble("pseudo")).isEqualTo(0.5);
            List<Object> weights = hyper.getJsonArray("classWeights").getList();
            assertThat(weights).hasSize(4);
            assertThat(((Number) weights.get(0)).doubleValue())
                    .as("background is the most frequent class")
                    .isEqualTo(1.0);

            // the paper's specialist training through the same job API: background + sign
            HttpResponse<String> bad =
                    HttpCalls.postJson(
                            rt.httpPort(), "/api/finetune", "{\"specialist\": [\"tree\"]}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("specialist class 'tree'");
            HttpResponse<String> spec =
                    HttpCalls.postJson(
                            rt.httpPort(),
                            "/api/finetune",
                            "{\"epochs\": 1, \"batchSize\": 2,"
                                    + " \"augment\": false, \"specialist\":"
                                    + " [\"sign\"], \"lr\": 0.0001}");
            assertThat(spec.statusCode()).as(spec.body()).isEqualTo(202);
            String specId = new JsonObject(spec.body()).getString("id");
            Await.until(() -> svc.job(specId).orElseThrow().done(), 480, "the specialist job");
            JsonObject specJob = svc.job(specId).orElseThrow().toJson();
            assertThat(specJob.getString("state"))
                    .as(specJob.encodePrettily())
                    .isEqualTo("candidate");
            JsonObject specResult = specJob.getJsonObject("result");
            assertThat(specResult.getJsonArray("classes").getList())
                    .containsExactly("background", "sign");
            assertThat(specResult.getJsonObject("validationIou").fieldNames())
                    .containsExactly("sign");
            String specVersion = specResult.getString("version");
            assertThat(Path.of(specResult.getString("config")))
                    .as("the specialist's config, for `ensemble -c` and a teacher")
                    .isRegularFile();
            assertThat(svc.registry().find(specVersion)).isPresent();
            String serving = rt.inference().orElseThrow().current().model().version();
            HttpResponse<String> activate =
                    HttpCalls.postJson(
                            rt.httpPort(),
                            "/api/models/activate",
                            new JsonObject().put("version", specVersion).encode());
            assertThat(activate.statusCode())
                    .as("a 2-class specialist cannot replace the 4-class model: " + activate.body())
                    .isEqualTo(422);
            assertThat(rt.inference().orElseThrow().current().model().version()).isEqualTo(serving);

            String prom =
                    http.send(
                                    HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            assertThat(prom)
                    .containsPattern(
                            "fusionnode_learning_frames_total\\{event=\"pseudo_labelled\"[^}]*\\} [1-9]");
        } finally {
            rt.close();
        }
    }
}

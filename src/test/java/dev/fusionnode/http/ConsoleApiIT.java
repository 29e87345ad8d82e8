package dev.fusionnode.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.learning.FineTuneService;
import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.Curl;
import dev.fusionnode.testutil.Curl.Reply;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoints the operator console reads beside the older ones: a kept frame's starting mask,
 * annotating a kept frame by its id, the classes to annotate with, the latest frame's LiDAR and
 * confidence images, the fine-tune defaults, and a job's Server-Sent Events to its end.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsoleApiIT {
    @TempDir Path dir;

    @Test
    void keptFramesAreAnnotatedByIdAndJobsStreamTheirProgress() throws Exception {
        Peer.CURL.require();
        JsonObject json =
                NodeConfigs.learning(
                        Path.of("replay/sample-drive.json"),
                        false,
                        NodeConfigs.microFusion(),
                        NodeConfigs.trainingEveryFrameHard(dir));
        json.getJsonObject("replay").put("rate", "max").put("maxFrames", 4);
        try (NodeHarness node =
                NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true)) {
            NodeRuntime rt = node.runtime();
            FineTuneService svc = rt.training().orElseThrow();
            NodeConfigs.resume(rt);
            Await.until(() -> svc.unlabelled().size(UnlabelledStore.HARD) >= 3, 180, "kept");
            int port = rt.httpPort();
            String api = "http://127.0.0.1:" + port + "/api";

            // the classes to annotate with: train index, name, colour, dataset id
            JsonArray classes =
                    new JsonObject(HttpCalls.get(port, "/api/models").body())
                            .getJsonArray("annotationClasses");
            assertThat(classes).hasSize(4);
            Set<Integer> ids = new HashSet<>();
            for (int i = 0; i < classes.size(); i++) {
                JsonObject c = classes.getJsonObject(i);
                assertThat(c.getInteger("index")).isEqualTo(i);
                assertThat(c.getString("color")).startsWith("#");
                ids.add(c.getInteger("datasetId"));
            }
            assertThat(classes.getJsonObject(1).getString("name")).isEqualTo("vehicle");

            // a kept frame's starting mask: one channel, camera size, dataset ids only
            List<UnlabelledStore.Entry> kept = svc.unlabelled().entries();
            long id = kept.get(0).id();
            HttpResponse<byte[]> mask =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            api
                                                                    + "/unlabelled/"
                                                                    + id
                                                                    + "/mask.png"))
                                            .timeout(Duration.ofSeconds(60))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(mask.statusCode()).isEqualTo(200);
            assertThat(mask.headers().firstValue("x-model-version")).contains("random-1");
            Image m = ImageCodec.decodePng(mask.body(), "mask", ImageCodec.Channels.AS_STORED);
            assertThat(m.channels()).isEqualTo(1);
            assertThat(m.width()).isEqualTo(320);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < m.pixels().capacity(); i++) {
                seen.add(m.pixels().get(i) & 0xFF);
            }
            assertThat(ids).containsAll(seen);
            assertThat(Curl.json(api + "/unlabelled/999999/mask.png").status()).isEqualTo(404);

            // annotating it by id: only the annotation is sent, the frame leaves the queue
            Path ann = dir.resolve("ann.png");
            Files.write(ann, mask.body());
            Reply withCamera =
                    Curl.json(
                            "-F",
                            "annotation=@" + ann,
                            "-F",
                            "camera=@" + kept.get(0).camera(),
                            api + "/annotations?frame=" + id);
            assertThat(withCamera.status()).isEqualTo(400);
            assertThat(withCamera.body().getString("error")).contains("only the multipart field");
            assertThat(Curl.json("-F", "annotation=@" + ann, api + "/annotations?frame=x").status())
                    .isEqualTo(400);
            Reply stored = Curl.json("-F", "annotation=@" + ann, api + "/annotations?frame=" + id);
            assertThat(stored.status()).as(stored.body().encode()).isEqualTo(201);
            assertThat(stored.body().getLong("keptFrame")).isEqualTo(id);
            assertThat(svc.unlabelled().find(id)).isEmpty();
            assertThat(svc.store().size()).isEqualTo(1);
            JsonArray listed =
                    new JsonObject(HttpCalls.get(port, "/api/unlabelled").body())
                            .getJsonArray("frames");
            assertThat(
                            listed.stream()
                                    .map(o -> ((JsonObject) o).getLong("id"))
                                    .collect(Collectors.toSet()))
                    .doesNotContain(id);
            assertThat(
                            Curl.json("-F", "annotation=@" + ann, api + "/annotations?frame=" + id)
                                    .status())
                    .as("annotated already")
                    .isEqualTo(404);
            for (UnlabelledStore.Entry e : kept.subList(1, 3)) {
                Files.write(
                        ann,
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                api
                                                                        + "/unlabelled/"
                                                                        + e.id()
                                                                        + "/mask.png"))
                                                .timeout(Duration.ofSeconds(60))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofByteArray())
                                .body());
                assertThat(
                                Curl.json(
                                                "-F",
                                                "annotation=@" + ann,
                                                api + "/annotations?frame=" + e.id())
                                        .status())
                        .isEqualTo(201);
            }
            assertThat(svc.store().size()).isEqualTo(3);

            // the latest frame's LiDAR image and confidence map
            Image lidar =
                    ImageCodec.decodePng(
                            HttpClient.newHttpClient()
                                    .send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    api
                                                                            + "/frames/latest/lidar.png"))
                                                    .timeout(Duration.ofSeconds(60))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofByteArray())
                                    .body(),
                            "lidar",
                            ImageCodec.Channels.AS_STORED);
            assertThat(lidar.channels()).isEqualTo(3);
            assertThat(lidar.width()).isEqualTo(320);
            assertThat(HttpCalls.get(port, "/api/frames/latest/confidence.png").statusCode())
                    .isEqualTo(200);

            // the defaults, then a job's events from start to end
            JsonObject jobs = new JsonObject(HttpCalls.get(port, "/api/finetune").body());
            assertThat(jobs.getJsonObject("defaults").getInteger("epochs")).isPositive();
            assertThat(jobs.getJsonObject("defaults").getString("mode")).isEqualTo("full");
            HttpResponse<String> started =
                    HttpCalls.postJson(port, "/api/finetune", "{\"epochs\": 2, \"batchSize\": 2}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String job = new JsonObject(started.body()).getString("id");
            HttpResponse<Stream<String>> events =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            api + "/finetune/" + job + "/events"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofLines());
            assertThat(events.statusCode()).isEqualTo(200);
            assertThat(events.headers().firstValue("content-type").orElse(""))
                    .startsWith("text/event-stream");
            List<JsonObject> received = new ArrayList<>();
            // the stream ends by itself after the terminal state (the class timeout bounds it)
            events.body()
                    .filter(l -> l.startsWith("data: "))
                    .forEach(l -> received.add(new JsonObject(l.substring(6))));
            assertThat(received.size()).isGreaterThanOrEqualTo(3);
            assertThat(received).allMatch(j -> j.getString("id").equals(job));
            JsonObject last = received.get(received.size() - 1);
            assertThat(last.getString("state")).isIn("promoted", "candidate");
            assertThat(last.getJsonArray("history")).hasSize(2);
            JsonObject epoch = last.getJsonArray("history").getJsonObject(1);
            assertThat(epoch.getInteger("epoch")).isEqualTo(1);
            assertThat(epoch.getJsonObject("validation").getJsonObject("vehicle").getDouble("iou"))
                    .isBetween(0.0, 1.0);
            assertThat(received.stream().map(j -> j.getString("state")).toList())
                    .contains("training");
            assertThat(Curl.json(api + "/finetune/nope/events").status()).isEqualTo(404);
            // a stream opened after the end sends the final state and ends
            List<String> after =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            api + "/finetune/" + job + "/events"))
                                            .timeout(Duration.ofSeconds(30))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofLines())
                            .body()
                            .filter(l -> l.startsWith("data: "))
                            .toList();
            assertThat(after).hasSize(1);
            assertThat(new JsonObject(after.get(0).substring(6)).getString("state"))
                    .isEqualTo(last.getString("state"));
            assertThat(svc.job(job).orElseThrow().done()).isTrue();
        }
    }
}

package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.fusionnode.cli.FusionNode;
import dev.fusionnode.learning.store.AnnotationStore;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole node ({@code fusion-node run} in its own JVM) is SIGKILLed while it accumulates
 * annotated frames (from the replayed annotated drive and from uploads over HTTP) and while a
 * fine-tune trains. After the kill the store holds every frame that was acknowledged (every upload
 * answered 201, at least as many frames as the status reported last), every kept model version
 * loads, and the node started again on the same folders serves the version that was in service
 * before the kill (here one activated before the first start, which also shows that the serving
 * version survives a restart) and reports the whole store.
 */
class NodeCrashIT {
    private static final String CONFIG = "config/zod/clft/micro_fusion.json";

    @TempDir Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void sigkillDuringAccumulationAndTrainingLosesNothingAcknowledged() throws Exception {
        Peer.CURL.require();
        PaperConfig cfg = PaperConfig.read(Path.of(CONFIG));
        Path models = dir.resolve("models");
        Path ckpt = dir.resolve("kept.pth");
        try (ClftModel m = ClftModel.random(cfg.modelSpec(), Device.cpu(), 5, "kept")) {
            m.save(ckpt, 0, 0);
        }
        ModelRegistry before = ModelRegistry.open(models);
        before.register("kept-1", ckpt, "activated before the first start", 0.5);
        before.serving("kept-1", "activated before the first start");
        before.configured("random-1"); // the configured model: micro config, random seed 1

        int port = freePort();
        Process node = start(config(port, true));
        String api = "http://127.0.0.1:" + port;
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean posting = new AtomicBoolean(true);
        AtomicLong reported = new AtomicLong();
        Thread uploader = new Thread(() -> upload(api, acknowledged, posting), "uploader");
        try {
            awaitReady(api, node);
            assertThat(servingVersion(api)).isEqualTo("kept-1");
            uploader.start();
            Await.value(() -> storeFrames(api), n -> n >= 8, 180, "8 frames stored");
            HttpResponse<String> job =
                    post(api + "/api/finetune", "{\"epochs\": 50, \"batchSize\": 2}");
            assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
            String id = new JsonObject(job.body()).getString("id");
            Await.value(
                    () -> get(api + "/api/finetune/" + id).getString("state"),
                    "training"::equals,
                    180,
                    "the job training");
            // uploads go on while it trains: two more acknowledged, then the kill
            int atTrainingStart = acknowledged.size();
            Await.until(
                    () -> acknowledged.size() >= atTrainingStart + 2,
                    120,
                    "two uploads acknowledged while the job trains");
            reported.set(storeFrames(api));
            assertThat(acknowledged).as("uploads acknowledged before the kill").isNotEmpty();
        } finally {
            node.destroyForcibly(); // SIGKILL
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
            posting.set(false);
            uploader.join(30_000);
        }

        AnnotationStore store = AnnotationStore.open(dir.resolve("store"), Long.MAX_VALUE);
        assertThat(store.ids()).containsAll(acknowledged);
        assertThat(store.size()).isGreaterThanOrEqualTo((int) reported.get());
        ModelRegistry after = ModelRegistry.open(models);
        assertThat(after.serving()).contains("kept-1");
        for (ModelRegistry.Entry e : after.entries()) {
            try (ClftModel m = ClftModel.load(cfg.modelSpec(), e.checkpoint(), Device.cpu())) {
                assertThat(m.parameterCount()).isPositive();
            }
        }
        int stored = store.size();

        Process again = start(config(port, false));
        try {
            awaitReady(api, again);
            assertThat(servingVersion(api)).isEqualTo("kept-1");
            assertThat(storeFrames(api)).isEqualTo(stored);
        } finally {
            again.destroy(); // SIGTERM: a clean stop
            assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The node's config: training on, the sample drive replayed (and accumulated) in a loop. */
    private Path config(int port, boolean replay) throws IOException {
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
                        .put("pipeline", new JsonObject().put("blockingThreads", 1))
                        .put(
                                "inference",
                                new JsonObject()
                                        .put("model", new JsonObject().put("config", CONFIG))
                                        .put("maxBatch", 1))
                        .put("mqtt", new JsonObject().put("enabled", false))
                        .put("training", NodeConfigs.training(dir).put("accumulateReplay", replay));
        if (replay) {
            json.put(
                    "replay",
                    new JsonObject()
                            .put("playlist", "replay/sample-drive.json")
                            .put("mode", "lossless")
                            .put("loop", true));
        }
        Path file = dir.resolve(replay ? "node.json" : "node-again.json");
        Files.writeString(file, json.encodePrettily());
        return file;
    }

    private Process start(Path config) throws IOException {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        FusionNode.class.getName(),
                        "run",
                        "-c",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
                .start();
    }

    /** Uploads sample-drive frames with curl until told to stop; keeps the ids answered 201. */
    private static void upload(String api, Set<Long> acknowledged, AtomicBoolean posting) {
        Path drive = Path.of("recordings/sample-drive");
        for (int i = 0; posting.get(); i++) {
            String name = String.format("frame_%06d.png", i % 100);
            try {
                Process p =
                        new ProcessBuilder(
                                        "curl",
                                        "-s",
                                        "-w",
                                        "\n%{http_code}",
                                        "-F",
                                        "camera=@" + drive.resolve("camera").resolve(name),
                                        "-F",
                                        "lidar=@" + drive.resolve("lidar_png").resolve(name),
                                        "-F",
                                        "annotation=@"
                                                + drive.resolve("annotation_camera_only")
                                                        .resolve(name),
                                        api + "/api/annotations")
                                .redirectErrorStream(true)
                                .start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                p.waitFor(30, TimeUnit.SECONDS);
                int nl = out.lastIndexOf('\n');
                if (nl > 0 && out.substring(nl + 1).equals("201")) {
                    acknowledged.add(new JsonObject(out.substring(0, nl)).getLong("id"));
                }
            } catch (IOException | RuntimeException e) {
                // the node is gone: not acknowledged
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitReady(String api, Process node) throws Exception {
        Awaitility.await("node ready (see " + dir.resolve("node.log") + ")")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .failFast(
                        "the node exited (see " + dir.resolve("node.log") + ")",
                        () -> !node.isAlive())
                .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                .until(
                        () ->
                                http.send(
                                                        HttpRequest.newBuilder(
                                                                        URI.create(
                                                                                api
                                                                                        + "/health/ready"))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.discarding())
                                                .statusCode()
                                        == 200);
    }

    private String servingVersion(String api) throws Exception {
        return get(api + "/api/models")
                .getJsonArray("models")
                .getJsonObject(0)
                .getString("version");
    }

    private long storeFrames(String api) throws Exception {
        return get(api + "/api/status").getJsonObject("training").getLong("storeFrames");
    }

    private JsonObject get(String url) throws Exception {
        return new JsonObject(
                http.send(
                                HttpRequest.newBuilder(URI.create(url)).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("content-type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

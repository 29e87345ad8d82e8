package dev.fusionnode.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.HttpCalls.Response;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verifies the HTTP API over a node segmenting the sample drive with a micro CLFT: the latest
 * frame's mask / overlay / meta, the model in service, the OpenAPI document covering every route,
 * and the viewer page.
 */
class ApiRoutesIT {
    static NodeRuntime rt;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        JsonObject inference = NodeConfigs.microFusion();
        rt =
                NodeHarness.start(
                                NodeConfigs.withInference(
                                        Path.of("replay/sample-drive.json"), 4, inference),
                                true)
                        .runtime();
        client = rt.vertx().createHttpClient();
        CountDownLatch encoded = new CountDownLatch(2);
        rt.vertx()
                .eventBus()
                .<EncodedFrame>localConsumer(Addresses.ENCODED, m -> encoded.countDown());
        NodeConfigs.resume(rt);
        assertThat(encoded.await(120, TimeUnit.SECONDS)).as("frames published").isTrue();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    private static Response get(String path) throws Exception {
        return HttpCalls.call(rt.vertx(), client, HttpMethod.GET, rt.httpPort(), path);
    }

    @Test
    void latestFrameFiles() throws Exception {
        Response mask = get("/api/frames/latest/mask.png");
        assertThat(mask.status()).isEqualTo(200);
        assertThat(mask.contentType()).isEqualTo("image/png");
        Image m = ImageCodec.decode(mask.body().getBytes(), "mask", ImageCodec.Channels.AS_STORED);
        assertThat(m.channels()).isEqualTo(1);
        assertThat(m.width()).isEqualTo(320);
        assertThat(m.height()).isEqualTo(180);
        var px = m.pixels();
        for (int i = 0; i < px.capacity(); i++) {
            assertThat(px.get(i) & 0xFF).isLessThan(4);
        }
        Response overlay = get("/api/frames/latest/overlay.jpg");
        assertThat(overlay.status()).isEqualTo(200);
        assertThat(
                        ImageCodec.decode(overlay.body().getBytes(), "o", ImageCodec.Channels.RGB)
                                .width())
                .isEqualTo(320);
        JsonObject meta = new JsonObject(get("/api/frames/latest/meta.json").body());
        assertThat(meta.getString("modelVersion")).isEqualTo("random-1");
        assertThat(meta.getJsonObject("classPixels").fieldNames())
                .containsExactly("background", "vehicle", "sign", "human");
        JsonObject latency = meta.getJsonObject("latencyMs");
        assertThat(latency.getDouble("forward")).isPositive();
        // sync and projection came before the frame reached inference: part of the whole, not more
        assertThat(latency.getDouble("fusion"))
                .isPositive()
                .isLessThan(latency.getDouble("endToEnd") - latency.getDouble("forward"));
        Response unknown = get("/api/frames/latest/nope.bmp");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().toString()).contains("available: mask.png");
    }

    @Test
    void modelInService() throws Exception {
        JsonObject models = new JsonObject(get("/api/models").body());
        JsonObject m = models.getJsonArray("models").getJsonObject(0);
        assertThat(m.getString("version")).isEqualTo("random-1");
        assertThat(m.getString("backbone")).isEqualTo("vit_micro_patch16_384");
        assertThat(m.getString("provenance")).contains("micro_fusion.json").contains("random");
        assertThat(m.getJsonArray("classes")).hasSize(4);
    }

    @Test
    void openApiDescribesEveryRoute() throws Exception {
        JsonObject doc = new JsonObject(get("/api/openapi.json").body());
        assertThat(doc.getString("openapi")).startsWith("3.");
        assertThat(doc.getJsonObject("paths").fieldNames())
                .contains(
                        "/health/live",
                        "/health/ready",
                        "/metrics",
                        "/api/status",
                        "/api/replay/{action}",
                        "/api/frames/latest/{file}",
                        "/api/models",
                        "/api/openapi.json",
                        "/api/annotations",
                        "/api/finetune",
                        "/api/finetune/{id}",
                        "/api/models/activate",
                        "/api/unlabelled",
                        "/api/unlabelled/{id}/camera.png",
                        "/api/unlabelled/{id}/mask.png",
                        "/api/finetune/{id}/events",
                        "/console/",
                        "/api/unlabelled/{id}",
                        "/ws",
                        "/");
    }

    @Test
    void viewerPage() throws Exception {
        Response page = get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().toString()).contains("<canvas").contains("viewer.js");
        assertThat(get("/viewer.js").body().toString()).contains("foxglove.websocket.v1");
    }
}

package dev.fusionnode.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.HttpCalls.Response;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Verifies the HTTP base on a node replaying the shipped sample drive: health, metrics, status,
 * replay controls.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpApiIT {
    static NodeRuntime rt;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        rt =
                NodeHarness.start(
                                NodeConfigs.replay(
                                        Path.of("replay/sample-drive.json"), "lossless", 4, 2),
                                true)
                        .runtime();
        client = rt.vertx().createHttpClient();
        NodeConfigs.resume(rt);
    }

    @AfterAll
    static void stop() {
        client.close();
        rt.close();
    }

    private static Response call(HttpMethod method, String path) throws Exception {
        return HttpCalls.call(rt.vertx(), client, method, rt.httpPort(), path);
    }

    /** Verifies liveness and readiness once every stage has started. */
    @Test
    void healthEndpoints() throws Exception {
        assertThat(call(HttpMethod.GET, "/health/live").status()).isEqualTo(200);
        Response ready = call(HttpMethod.GET, "/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("UP");
    }

    /** Verifies that frames flow and /api/status reports sources, rates, queue depths and drops. */
    @Test
    void statusReportsEveryStage() throws Exception {
        JsonObject status =
                Await.value(
                        () -> new JsonObject(call(HttpMethod.GET, "/api/status").body()),
                        st -> st.getJsonObject("output").getLong("frames") >= 3,
                        20,
                        "3 frames out, seen through GET /api/status");
        assertThat(status.getJsonObject("output").getLong("frames")).isGreaterThanOrEqualTo(3);
        assertThat(status.getJsonObject("output").getInteger("lastPointsInImage")).isPositive();
        assertThat(status.getJsonObject("replay").getString("drive")).isEqualTo("sample-drive");
        assertThat(status.getJsonObject("replay").containsKey("droppedForLag")).isTrue();
        assertThat(status.getJsonObject("replay").containsKey("fps")).isTrue();
        assertThat(status.getJsonObject("sync").getLong("paired")).isPositive();
        assertThat(status.getJsonObject("projection").containsKey("queueDepth")).isTrue();
    }

    /**
     * The node answers HTTP/1.1 even to a client that asks to upgrade to h2c (the JDK's HttpClient
     * does by default): an upgraded connection once left a large /metrics answer unfinished.
     */
    @Test
    void anH2cUpgradeIsDeclined() throws Exception {
        HttpResponse<String> r = HttpCalls.get(rt.httpPort(), "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(r.body()).contains("fusionnode_");
    }

    /** Verifies that /metrics is Prometheus text with the node's and Vert.x's meters. */
    @Test
    void prometheusMetrics() throws Exception {
        Response r = call(HttpMethod.GET, "/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        assertThat(r.body().toString())
                .contains("# TYPE fusionnode_input_bad_total counter")
                .contains("fusionnode_frames_dropped_total{reason=\"pipeline_lag\"}")
                .contains("fusionnode_projection_duration_seconds")
                .contains("vertx_http_server");
    }

    /** Verifies pause, seek, rate and resume, and that an unknown action is a 400 with a reason. */
    @Test
    void replayControls() throws Exception {
        JsonObject paused = new JsonObject(call(HttpMethod.POST, "/api/replay/pause").body());
        assertThat(paused.getString("state")).isEqualTo("paused");
        JsonObject seeked =
                new JsonObject(call(HttpMethod.POST, "/api/replay/seek?frame=15").body());
        assertThat(seeked.getInteger("nextFrame")).isGreaterThanOrEqualTo(15);
        JsonObject rated = new JsonObject(call(HttpMethod.POST, "/api/replay/rate?value=2").body());
        assertThat(rated.getString("rate")).isEqualTo("2.0x");
        JsonObject resumed = new JsonObject(call(HttpMethod.POST, "/api/replay/resume").body());
        assertThat(resumed.getString("state")).isEqualTo("playing");
        Response bad = call(HttpMethod.POST, "/api/replay/rewind");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().toString()).contains("unknown replay action 'rewind'");
        Response badSeek = call(HttpMethod.POST, "/api/replay/seek?frame=999");
        assertThat(badSeek.status()).isEqualTo(400);
        assertThat(badSeek.body().toString()).contains("outside 0..99");
        // a rate of 1e-300 was taken and played faster than real time
        for (String rate : new String[] {"1e-300", "0", "-1", "1e308", "NaN", "fast"}) {
            Response badRate = call(HttpMethod.POST, "/api/replay/rate?value=" + rate);
            assertThat(badRate.status()).as(rate).isEqualTo(400);
            assertThat(badRate.body().toString())
                    .as(rate)
                    .containsAnyOf("from 0.01 to 1000", "'" + rate + "' is not");
        }
        JsonObject status = new JsonObject(call(HttpMethod.GET, "/api/status").body());
        assertThat(status.getJsonObject("replay").getString("rate")).isEqualTo("2.0x");
    }
}

package dev.fusionnode.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A sensor that stalls: the sample drive plays once, its camera and LiDAR fall silent, and after
 * {@code health.sensorStallMs} the status marks them stalled and {@code /health/ready} answers 503;
 * when the drive plays again (a seek), readiness comes back.
 */
class SensorStallIT {
    @Test
    void silenceTurnsReadinessOffUntilDataReturns() throws Exception {
        JsonObject json =
                NodeConfigs.node(new JsonObject().put("enabled", false))
                        .put("replay", NodeConfigs.sampleDrive(false).put("maxFrames", 20))
                        .put("training", NodeConfigs.trainingOff())
                        .put("health", new JsonObject().put("sensorStallMs", 400));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        HttpClient http = HttpClient.newHttpClient();
        String ready = "http://127.0.0.1:" + rt.httpPort() + "/health/ready";
        try {
            Await.until(
                    () ->
                            "finished"
                                    .equals(
                                            rt.status()
                                                    .snapshot()
                                                    .getJsonObject("replay")
                                                    .getString("state")),
                    60,
                    "replay finished");
            Await.until(() -> !rt.ready(), 10, "stalled");
            assertThat(status(http, ready)).isEqualTo(503);
            JsonObject sensors = rt.status().snapshot().getJsonObject("sensors");
            assertThat(sensors.getJsonObject("front").getBoolean("stalled")).isTrue();
            assertThat(sensors.getJsonObject("top").getBoolean("stalled")).isTrue();

            rt.vertx()
                    .eventBus()
                    .request(
                            Addresses.REPLAY_CONTROL,
                            new JsonObject().put("action", "seek").put("frame", 0))
                    .await(10, TimeUnit.SECONDS);
            Await.until(rt::ready, 20, "ready again");
            assertThat(status(http, ready)).isEqualTo(200);
        } finally {
            rt.close();
        }
    }

    private static int status(HttpClient http, String url) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}

package dev.fusionnode.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's listeners hold a bounded number of clients, as Mosquitto's {@code max_connections} and
 * nginx's {@code worker_connections} do: one WebSocket client more than {@code
 * http.maxWebSocketClients} ({@code /ws} and {@code /ingest} together) is answered 503, one MQTT
 * client more than {@code mqtt.embedded.maxClients} is disconnected; both are counted, and a freed
 * slot takes the next client. (Before, every client was taken.)
 */
class ClientLimitsIT {
    @TempDir Path dir;

    private static NodeHarness start() {
        JsonObject json =
                new JsonObject()
                        .put(
                                "http",
                                new JsonObject()
                                        .put("host", "127.0.0.1")
                                        .put("port", 0)
                                        .put("maxWebSocketClients", 2))
                        .put(
                                "mqtt",
                                new JsonObject()
                                        .put(
                                                "embedded",
                                                new JsonObject()
                                                        .put("port", 0)
                                                        .put("maxClients", 2)))
                        .put("inference", NodeConfigs.microFusion()) // MQTT publishes its masks
                        .put("training", new JsonObject().put("enabled", false));
        return NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), false);
    }

    private static WebSocket open(int port, String path) throws Exception {
        try {
            return HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .subprotocols("foxglove.websocket.v1")
                    .buildAsync(
                            URI.create("ws://127.0.0.1:" + port + path),
                            new WebSocket.Listener() {})
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void oneWebSocketClientTooManyIsRefusedUntilASlotIsFree() throws Exception {
        try (NodeHarness node = start()) {
            int port = node.httpPort();
            WebSocket foxglove = open(port, "/ws");
            open(port, "/ingest");
            Throwable refused = catchThrowable(() -> open(port, "/ws"));
            assertThat(refused).isInstanceOf(WebSocketHandshakeException.class);
            var reply = ((WebSocketHandshakeException) refused).getResponse();
            assertThat(reply.statusCode()).isEqualTo(503);
            assertThat(reply.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(String.valueOf(reply.body())).contains("http.maxWebSocketClients");
            assertThat(node.section("http").getLong("webSocketRefused")).isEqualTo(1);
            assertThat(node.scrape())
                    .contains("fusionnode_connections_refused_total{listener=\"websocket\"} 1.0");

            foxglove.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
            Await.until(
                    () -> node.section("http").getInteger("webSocketClients") == 1,
                    30,
                    "the closed client's slot freed");
            assertThat(open(port, "/ws").isInputClosed()).isFalse();
            assertThat(node.section("http").getInteger("webSocketClients")).isEqualTo(2);
        }
    }

    @Test
    void oneMqttClientTooManyIsDisconnectedUntilASlotIsFree() throws Exception {
        Peer.MOSQUITTO_CLIENTS.require();
        try (NodeHarness node = start()) {
            int port = node.runtime().mqtt().orElseThrow().embeddedPort();
            var first = Mosquitto.subscribe(port, "fusion/test/#", 1, 120, dir).awaitSubscribed();
            Mosquitto.subscribe(port, "fusion/test/#", 1, 120, dir).awaitSubscribed();
            // mosquitto_sub reconnects after each refusal; each one is counted
            Mosquitto.subscribe(port, "fusion/test/#", 1, 120, dir);
            Await.until(
                    () -> clients(node).getLong("refused") >= 1, 30, "the third client refused");
            Await.until(
                    () -> clients(node).getInteger("connected") == 2,
                    30,
                    "the third client disconnected");
            assertThat(node.scrape())
                    .containsPattern(
                            "fusionnode_connections_refused_total\\{listener=\"mqtt\"} [1-9]");

            first.process().destroy();
            Await.until(() -> clients(node).getInteger("connected") == 1, 30, "a client left");
            // the third client's next attempt takes the freed slot
            Await.until(
                    () -> clients(node).getInteger("connected") == 2,
                    30,
                    "the third client admitted");
        }
    }

    private static JsonObject clients(NodeHarness node) {
        return node.section("mqtt").getJsonObject("brokerClients");
    }
}

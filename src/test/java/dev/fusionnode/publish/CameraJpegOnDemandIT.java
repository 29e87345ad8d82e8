package dev.fusionnode.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The camera JPEG of a frame is made only when someone takes it: with no Foxglove client on a
 * camera image channel the encoder skips it (counted), a request for the latest camera image still
 * gets a JPEG of the frame, and once a client subscribes to {@code /front/image} every frame has it
 * again.
 */
class CameraJpegOnDemandIT {
    @Test
    void cameraJpegsOnlyForSubscribers() throws Exception {
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microFusion())
                        .put("replay", NodeConfigs.sampleDrive(true).put("startPaused", true))
                        .put("training", NodeConfigs.trainingOff());
        try (NodeHarness node =
                NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true)) {
            node.resume();
            JsonObject encoder =
                    node.awaitSection(
                            "encoder", s -> s.getLong("encoded") >= 5, 120, "5 frames encoded");
            assertThat(encoder.getLong("cameraJpegSkipped")).isGreaterThanOrEqualTo(5);

            var client = node.vertx().createHttpClient();
            HttpCalls.Response latest =
                    HttpCalls.call(
                            node.vertx(),
                            client,
                            HttpMethod.GET,
                            node.httpPort(),
                            "/api/frames/latest/camera.jpg");
            assertThat(latest.status()).isEqualTo(200);
            assertThat(latest.contentType()).isEqualTo("image/jpeg");
            Image decoded =
                    ImageCodec.decode(latest.body().getBytes(), "latest", ImageCodec.Channels.RGB);
            assertThat(decoded.width()).isEqualTo(320);

            BlockingQueue<Object> in = new LinkedBlockingQueue<>();
            Promise<WebSocket> p = Promise.promise();
            // held to the end: Vert.x closes an unreachable client's connections
            WebSocketClient wsClient = node.vertx().createWebSocketClient();
            node.vertx()
                    .runOnContext(
                            v ->
                                    wsClient.connect(
                                                    new WebSocketConnectOptions()
                                                            .setHost("127.0.0.1")
                                                            .setPort(node.httpPort())
                                                            .setURI("/ws")
                                                            .setSubProtocols(
                                                                    List.of(
                                                                            "foxglove.websocket.v1")))
                                            .onSuccess(
                                                    ws -> {
                                                        ws.textMessageHandler(in::add);
                                                        ws.binaryMessageHandler(in::add);
                                                    })
                                            .onComplete(p));
            WebSocket ws = p.future().await(10, TimeUnit.SECONDS);
            Integer channel = null;
            while (channel == null) {
                Object o = in.poll(10, TimeUnit.SECONDS);
                assertThat(o).as("server info and channels").isInstanceOf(String.class);
                JsonObject m = new JsonObject((String) o);
                if ("advertise".equals(m.getString("op"))) {
                    for (Object c : m.getJsonArray("channels")) {
                        if ("/front/image".equals(((JsonObject) c).getString("topic"))) {
                            channel = ((JsonObject) c).getInteger("id");
                        }
                    }
                }
            }
            ws.writeTextMessage(
                    new JsonObject()
                            .put("op", "subscribe")
                            .put(
                                    "subscriptions",
                                    new JsonArray()
                                            .add(
                                                    new JsonObject()
                                                            .put("id", 7)
                                                            .put("channelId", channel)))
                            .encode());
            Buffer message = null;
            while (message == null) {
                Object o = in.poll(30, TimeUnit.SECONDS);
                assertThat(o).as("an image message").isNotNull();
                if (o instanceof Buffer b) {
                    message = b;
                }
            }
            assertThat(message.getByte(0)).isEqualTo((byte) 1);
            assertThat(message.getIntLE(1)).isEqualTo(7);
            JsonObject image = new JsonObject(message.getString(13, message.length()));
            byte[] jpeg = Base64.getDecoder().decode(image.getString("data"));
            assertThat(image.getString("format")).isEqualTo("jpeg");
            assertThat(ImageCodec.decode(jpeg, "ws", ImageCodec.Channels.RGB).width())
                    .isEqualTo(320);
            // from here on every frame has its camera JPEG
            long skipped = node.section("encoder").getLong("cameraJpegSkipped");
            long encoded = node.section("encoder").getLong("encoded");
            Await.until(
                    () -> node.section("encoder").getLong("encoded") >= encoded + 5,
                    120,
                    "5 more frames encoded");
            assertThat(node.section("encoder").getLong("cameraJpegSkipped")).isEqualTo(skipped);
            wsClient.close().await(10, TimeUnit.SECONDS);
        }
    }
}

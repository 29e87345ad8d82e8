package dev.fusionnode.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.inference.ModelClasses;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.SegmentedFrame;
import dev.fusionnode.publish.foxglove.FoxgloveServer;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verifies the Foxglove WebSocket protocol at {@code /ws} with a Vert.x WebSocket client:
 * serverInfo first, the advertised channels and schema names, subscriptions and binary message
 * frames, unsubscribe, and a status error (connection kept) for each kind of bad client message,
 * oversize ones included; the wrong subprotocol is refused.
 */
class FoxgloveServerIT {
    private NodeRuntime rt;
    private WebSocketClient client;

    @BeforeEach
    void start() throws Exception {
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put("inference", new JsonObject().put("enabled", false));
        rt = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true).runtime();
        client = rt.vertx().createWebSocketClient();
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    private record Conn(WebSocket ws, BlockingQueue<Object> in) {
        JsonObject text() throws InterruptedException {
            Object o = in.poll(10, TimeUnit.SECONDS);
            assertThat(o).as("a text message").isInstanceOf(String.class);
            return new JsonObject((String) o);
        }

        Buffer binary() throws InterruptedException {
            Object o = in.poll(10, TimeUnit.SECONDS);
            assertThat(o).as("a binary message").isInstanceOf(Buffer.class);
            return (Buffer) o;
        }

        void send(JsonObject msg) {
            ws.writeTextMessage(msg.encode());
        }
    }

    private Conn connect(String subprotocol) throws Exception {
        BlockingQueue<Object> in = new LinkedBlockingQueue<>();
        Promise<WebSocket> p = Promise.promise();
        rt.vertx()
                .runOnContext(
                        v ->
                                client.connect(
                                                new WebSocketConnectOptions()
                                                        .setHost("127.0.0.1")
                                                        .setPort(rt.httpPort())
                                                        .setURI("/ws")
                                                        .setSubProtocols(
                                                                subprotocol == null
                                                                        ? null
                                                                        : List.of(subprotocol)))
                                        .onSuccess(
                                                ws -> {
                                                    ws.textMessageHandler(in::add);
                                                    ws.binaryMessageHandler(in::add);
                                                    ws.closeHandler(
                                                            x ->
                                                                    in.add(
                                                                            "{\"closed\":"
                                                                                    + ws
                                                                                            .closeStatusCode()
                                                                                    + "}"));
                                                })
                                        .onComplete(p));
        return new Conn(p.future().await(10, TimeUnit.SECONDS), in);
    }

    private static EncodedFrame frame(long seq) {
        Image camera = new Image(8, 4, 3, new byte[8 * 4 * 3]);
        Image mask = new Image(8, 4, 1, new byte[8 * 4]);
        SegmentedFrame s =
                new SegmentedFrame(
                        new FusedFrame(
                                new CameraFrame(
                                        "front", seq, 1_700_000_000_123_456_789L, camera, "t"),
                                Optional.empty(),
                                Optional.empty(),
                                0,
                                0,
                                System.nanoTime()),
                        mask,
                        SegmentedFrame.certain(mask),
                        0,
                        "v1",
                        1,
                        0,
                        0,
                        0,
                        0,
                        0);
        return new EncodedFrame(
                s,
                "front",
                seq,
                1_700_000_000_123_456_789L,
                ModelClasses.ZOD.names(),
                ModelClasses.ZOD.colors(),
                new byte[] {1, 2, 3},
                new byte[] {9, 9, 9, 9},
                new byte[] {4, 5},
                new byte[] {6},
                new JsonObject().put("seq", seq));
    }

    /**
     * A subscribe full of bad entries gets one error reply, not one per entry (100 such messages
     * from a client that never reads once queued 3 million replies), and a client holds at most
     * {@value FoxgloveServer#MAX_SUBSCRIPTIONS_PER_CLIENT} subscriptions (one with 400,000 once
     * halved the frame rate).
     */
    @Test
    void oneReplyPerMessageAndBoundedSubscriptions() throws Exception {
        Conn c = connect("foxglove.websocket.v1");
        assertThat(c.text().getString("op")).isEqualTo("serverInfo");
        JsonObject adv = c.text();
        int channel = adv.getJsonArray("channels").getJsonObject(0).getInteger("id");
        JsonArray bad = new JsonArray();
        for (int i = 0; i < 1000; i++) {
            bad.add(new JsonObject().put("id", "x" + i).put("channelId", channel));
        }
        c.send(new JsonObject().put("op", "subscribe").put("subscriptions", bad));
        JsonObject reply = c.text();
        assertThat(reply.getString("op")).isEqualTo("status");
        assertThat(reply.getString("message")).endsWith("(and 997 more)");

        JsonArray many = new JsonArray();
        for (int i = 0; i < 300; i++) {
            many.add(new JsonObject().put("id", i).put("channelId", channel));
        }
        c.send(new JsonObject().put("op", "subscribe").put("subscriptions", many));
        reply = c.text();
        assertThat(reply.getString("message"))
                .startsWith("a client holds at most 256 subscriptions")
                .endsWith("(and 41 more)");
        awaitSubscriptions(FoxgloveServer.MAX_SUBSCRIPTIONS_PER_CLIENT);

        // the next reply is this message's: nothing else was queued for the two above
        c.send(
                new JsonObject()
                        .put("op", "unsubscribe")
                        .put("subscriptionIds", new JsonArray().add(5000)));
        assertThat(c.text().getString("message")).isEqualTo("no subscription 5000 to remove");
        assertThat(rt.metrics().badInputs(BadInputReason.MALFORMED_CLIENT_MESSAGE)).isEqualTo(2);
    }

    @Test
    void serverInfoAdvertiseSubscribeAndMessageFrames() throws Exception {
        Conn c = connect("foxglove.websocket.v1");
        JsonObject info = c.text();
        assertThat(info.getString("op")).isEqualTo("serverInfo");
        assertThat(info.getString("name")).isEqualTo("fusion-node");
        JsonObject adv = c.text();
        assertThat(adv.getString("op")).isEqualTo("advertise");
        JsonArray channels = adv.getJsonArray("channels");
        Map<String, JsonObject> byTopic = new HashMap<>();
        channels.forEach(o -> byTopic.put(((JsonObject) o).getString("topic"), (JsonObject) o));
        assertThat(byTopic.keySet())
                .contains(
                        "/front/image",
                        "/front/mask",
                        "/front/overlay",
                        "/front/lidar",
                        "/front/meta",
                        "/front/confidence");
        assertThat(byTopic.get("/front/mask").getString("schemaName"))
                .isEqualTo("foxglove.CompressedImage");
        assertThat(byTopic.get("/front/confidence").getString("schemaName"))
                .isEqualTo("foxglove.CompressedImage");
        assertThat(byTopic.get("/front/lidar").getString("schemaName"))
                .isEqualTo("foxglove.PointCloud");
        assertThat(byTopic.get("/front/mask").getString("encoding")).isEqualTo("json");
        new JsonObject(byTopic.get("/front/mask").getString("schema")); // valid JSON schema text
        int maskChannel = byTopic.get("/front/mask").getInteger("id");
        c.send(
                new JsonObject()
                        .put("op", "subscribe")
                        .put(
                                "subscriptions",
                                new JsonArray()
                                        .add(
                                                new JsonObject()
                                                        .put("id", 7)
                                                        .put("channelId", maskChannel))));
        awaitSubscriptions(1);
        rt.vertx().eventBus().publish(Addresses.ENCODED, frame(1));
        Buffer b = c.binary();
        assertThat(b.getByte(0)).isEqualTo((byte) 1);
        assertThat(b.getIntLE(1)).isEqualTo(7);
        assertThat(b.getLongLE(5)).isPositive();
        JsonObject msg = new JsonObject(b.getString(13, b.length(), "UTF-8"));
        assertThat(msg.getString("format")).isEqualTo("png");
        assertThat(Base64.getDecoder().decode(msg.getString("data"))).containsExactly(1, 2, 3);
        assertThat(msg.getJsonObject("timestamp").getLong("sec")).isEqualTo(1_700_000_000L);
        assertThat(msg.getJsonObject("timestamp").getLong("nsec")).isEqualTo(123_456_789L);
        c.send(
                new JsonObject()
                        .put("op", "unsubscribe")
                        .put("subscriptionIds", new JsonArray().add(7)));
        awaitSubscriptions(0);
        rt.vertx().eventBus().publish(Addresses.ENCODED, frame(2));
        assertThat(c.in().poll(500, TimeUnit.MILLISECONDS))
                .as("nothing after unsubscribe")
                .isNull();
    }

    @Test
    void badClientMessagesGetStatusErrorsAndTheConnectionStays() throws Exception {
        Conn c = connect("foxglove.websocket.v1");
        c.text();
        int channel = c.text().getJsonArray("channels").getJsonObject(0).getInteger("id");
        List<String> bad =
                List.of(
                        "not json",
                        "{\"no\":\"op\"}",
                        "{\"op\":\"teleport\"}",
                        "{\"op\":\"subscribe\",\"subscriptions\":[{\"id\":1,\"channelId\":999}]}",
                        "{\"op\":\"subscribe\",\"subscriptions\":\"x\"}");
        for (String m : bad) {
            c.ws().writeTextMessage(m);
            JsonObject status = c.text();
            assertThat(status.getString("op")).as(m).isEqualTo("status");
            assertThat(status.getInteger("level")).as(m).isEqualTo(2);
        }
        String sub =
                new JsonObject()
                        .put("op", "subscribe")
                        .put(
                                "subscriptions",
                                new JsonArray()
                                        .add(
                                                new JsonObject()
                                                        .put("id", 1)
                                                        .put("channelId", channel)))
                        .encode();
        c.ws().writeTextMessage(sub);
        c.ws().writeTextMessage(sub);
        assertThat(c.text().getString("message")).contains("already in use");
        c.ws().writeBinaryMessage(Buffer.buffer(new byte[] {1, 0, 0, 0, 0}));
        assertThat(c.text().getString("message")).contains("clientPublish");
        assertThat(rt.metrics().badInputs(BadInputReason.MALFORMED_CLIENT_MESSAGE)).isEqualTo(7);
        // still subscribed and served
        rt.vertx().eventBus().publish(Addresses.ENCODED, frame(3));
        assertThat(c.binary().getIntLE(1)).isEqualTo(1);
        // an oversize message gets an error; the connection and the node keep serving
        c.ws().writeTextMessage("x".repeat(70_000));
        assertThat(c.text().getString("message")).contains("larger than the limit");
        rt.vertx().eventBus().publish(Addresses.ENCODED, frame(4));
        assertThat(c.binary().getIntLE(1)).isEqualTo(1);
        Conn other = connect("foxglove.websocket.v1");
        assertThat(other.text().getString("op")).isEqualTo("serverInfo");
    }

    @Test
    void theWrongSubprotocolIsRefused() throws Exception {
        Conn c = connect("foxglove.websocket.v1");
        assertThat(c.text().getString("op")).isEqualTo("serverInfo");
        // the server does not agree to another subprotocol (the client then refuses the handshake)
        assertThatThrownBy(() -> connect("graphql-ws"))
                .hasMessageContaining("Invalid subprotocol. Actual: null");
        // and a client that asks for none is closed at once with 1002 (protocol error)
        Conn none = connect(null);
        assertThat(none.in().poll(10, TimeUnit.SECONDS)).isEqualTo("{\"closed\":1002}");
    }

    private void awaitSubscriptions(int n) {
        Await.until(
                () ->
                        rt.status()
                                        .snapshot()
                                        .getJsonObject("websocket")
                                        .getInteger("subscriptions")
                                == n,
                10,
                n + " subscriptions on the server");
    }
}

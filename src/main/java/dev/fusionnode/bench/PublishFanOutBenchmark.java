package dev.fusionnode.bench;

import dev.fusionnode.config.ConfigReader;
import dev.fusionnode.http.HttpOptions;
import dev.fusionnode.inference.ModelClasses;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.Codecs;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.SegmentedFrame;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.publish.FrameEncoderVerticle;
import dev.fusionnode.publish.foxglove.FoxgloveServer;
import dev.fusionnode.publish.mqtt.MqttOptions;
import dev.fusionnode.publish.mqtt.MqttPublisherVerticle;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The publish stage end to end on loopback: one frame at a time is encoded (as {@link
 * FrameEncoderVerticle} does) and handed to the MQTT publisher (embedded broker) and the Foxglove
 * WebSocket server, and the clock stops when every subscriber (N MQTT clients on the mask topic, N
 * WebSocket clients on the mask channel, in a separate Vert.x instance) has the mask.
 */
final class PublishFanOutBenchmark {
    private final SegmentedFrame frame;
    private final int clients;
    private final int warmup;
    private final int iterations;

    PublishFanOutBenchmark(SegmentedFrame frame, int clients, int warmup, int iterations) {
        this.frame = frame;
        this.clients = clients;
        this.warmup = warmup;
        this.iterations = iterations;
    }

    /** Runs the benchmark and prints medians and p99s. */
    void run() throws Exception {
        Vertx node = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
        Vertx peers = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            Codecs.register(node);
            Router router = Router.router(node);
            var demand = new dev.fusionnode.pipeline.ImageDemand();
            FoxgloveServer webSocket =
                    new FoxgloveServer(
                            node,
                            NodeMetrics.NOOP,
                            HttpOptions.DEFAULT_WS_CLIENT_QUEUE_BYTES,
                            demand);
            webSocket.mount(router);
            HttpServer http =
                    node.createHttpServer(
                                    new HttpServerOptions()
                                            .addWebSocketSubProtocol(FoxgloveServer.SUBPROTOCOL))
                            .requestHandler(router)
                            .listen(0, "127.0.0.1")
                            .await(30, TimeUnit.SECONDS);
            MqttOptions mqttOptions =
                    MqttOptions.from(
                            new ConfigReader(
                                    new JsonObject()
                                            .put("embedded", new JsonObject().put("port", 0))
                                            .put("bufferMessages", 1024),
                                    "(benchmark)",
                                    Map.of()),
                            "bench");
            MqttPublisherVerticle mqtt =
                    new MqttPublisherVerticle(
                            mqttOptions,
                            "bench",
                            Optional::empty,
                            NodeMetrics.NOOP,
                            new StatusRegistry(),
                            demand);
            node.deployVerticle(mqtt).await(60, TimeUnit.SECONDS);

            AtomicReference<Arrivals> arrived = new AtomicReference<>(new Arrivals(0));
            String maskTopic = mqttOptions.topicPrefix() + "/front/mask";
            for (int i = 0; i < clients; i++) {
                MqttClient c =
                        MqttClient.create(
                                peers,
                                new MqttClientOptions()
                                        .setClientId("bench-sub-" + i)
                                        .setMaxMessageSize(32 << 20));
                c.publishHandler(m -> arrived.get().mqtt());
                c.connect(mqtt.embeddedPort(), "127.0.0.1").await(30, TimeUnit.SECONDS);
                CountDownLatch subAck = new CountDownLatch(1);
                c.subscribeCompletionHandler(ack -> subAck.countDown());
                c.subscribe(maskTopic, MqttQoS.AT_MOST_ONCE.value());
                subAck.await(30, TimeUnit.SECONDS);
            }
            // held until the end: Vert.x closes a client's connections once the client is
            // unreachable
            WebSocketClient webSocketClient = peers.createWebSocketClient();
            for (int i = 0; i < clients; i++) {
                connectWebSocket(webSocketClient, http.actualPort(), arrived);
            }
            // the clients have sent their subscriptions: wait until the server has taken them
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (webSocket.subscriptions() < clients) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the WebSocket server took "
                                    + webSocket.subscriptions()
                                    + " of "
                                    + clients
                                    + " subscriptions");
                }
                Thread.sleep(5);
            }

            double[] encodeMs = new double[iterations];
            double[] fanOutMs = new double[iterations];
            double[] totalMs = new double[iterations];
            double[] mqttMs = new double[iterations];
            double[] wsMs = new double[iterations];
            double[] maskMs = new double[iterations];
            int incomplete = 0;
            // warm-up frames are sent as encoded once: the JIT compiler takes thousands of
            // messages to finish with the broker's and the clients' code, and encoding each would
            // take minutes
            EncodedFrame encodedOnce = FrameEncoderVerticle.encode(frame, ModelClasses.ZOD, 0);
            for (int i = 0; i < warmup + iterations; i++) {
                boolean timed = i >= warmup;
                Arrivals a = new Arrivals(clients);
                arrived.set(a);
                long m0 = System.nanoTime();
                if (timed) {
                    ImageCodec.encodeMapPng(frame.mask());
                }
                long m1 = System.nanoTime();
                long t0 = System.nanoTime();
                EncodedFrame e =
                        timed
                                ? FrameEncoderVerticle.encode(frame, ModelClasses.ZOD, 0)
                                : encodedOnce;
                long t1 = System.nanoTime();
                node.eventBus().publish(Addresses.ENCODED, e);
                if (!a.all.await(2, TimeUnit.SECONDS)) {
                    incomplete++; // a QoS 0 message lost on the way: timed as 2 s, reported below
                }
                long t2 = System.nanoTime();
                if (timed) {
                    int k = i - warmup;
                    encodeMs[k] = (t1 - t0) / 1e6;
                    fanOutMs[k] = (t2 - t1) / 1e6;
                    totalMs[k] = (t2 - t0) / 1e6;
                    mqttMs[k] = (Math.max(a.lastMqtt, t1) - t1) / 1e6;
                    wsMs[k] = (Math.max(a.lastWebSocket, t1) - t1) / 1e6;
                    maskMs[k] = (m1 - m0) / 1e6 + fanOutMs[k];
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "publishing one frame to %d MQTT (embedded broker) + %d WebSocket subscribers of"
                            + " its mask, %d warm-up + %d timed frames:%n",
                    clients,
                    clients,
                    warmup,
                    iterations);
            print("encode (all)", encodeMs);
            print("MQTT+WS fan-out", fanOutMs);
            print("  MQTT, last of " + clients, mqttMs);
            print("  WS, last of " + clients, wsMs);
            print("mask PNG + fan-out", maskMs);
            print("total", totalMs);
            System.out.printf(
                    Locale.ROOT,
                    "  frames that missed a subscriber within 2 s: %d of %d%n",
                    incomplete,
                    warmup + iterations);
            webSocketClient.close().await(30, TimeUnit.SECONDS);
        } finally {
            peers.close().await(30, TimeUnit.SECONDS);
            node.close().await(30, TimeUnit.SECONDS);
        }
    }

    private static void connectWebSocket(
            WebSocketClient client, int port, AtomicReference<Arrivals> arrived) throws Exception {
        CountDownLatch subscribed = new CountDownLatch(1);
        client.connect(
                        new WebSocketConnectOptions()
                                .setHost("127.0.0.1")
                                .setPort(port)
                                .setURI("/ws")
                                .addSubProtocol(FoxgloveServer.SUBPROTOCOL))
                .compose(
                        ws -> {
                            ws.textMessageHandler(
                                    text -> {
                                        JsonObject m = new JsonObject(text);
                                        if (!"advertise".equals(m.getString("op"))) {
                                            return;
                                        }
                                        for (Object o : m.getJsonArray("channels")) {
                                            JsonObject ch = (JsonObject) o;
                                            if (ch.getString("topic").endsWith("/mask")) {
                                                ws.writeTextMessage(
                                                        new JsonObject()
                                                                .put("op", "subscribe")
                                                                .put(
                                                                        "subscriptions",
                                                                        new JsonArray()
                                                                                .add(
                                                                                        new JsonObject()
                                                                                                .put(
                                                                                                        "id",
                                                                                                        1)
                                                                                                .put(
                                                                                                        "channelId",
                                                                                                        ch
                                                                                                                .getInteger(
                                                                                                                        "id"))))
                                                                .encode());
                                                subscribed.countDown();
                                            }
                                        }
                                    });
                            ws.binaryMessageHandler(b -> arrived.get().webSocket());
                            return Future.succeededFuture();
                        })
                .await(30, TimeUnit.SECONDS);
        if (!subscribed.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("WebSocket client was not offered a mask channel");
        }
    }

    /** One frame's arrivals at the subscribers: the time of the last on each transport. */
    private static final class Arrivals {
        final CountDownLatch all;
        private int mqttLeft;
        private int webSocketLeft;
        volatile long lastMqtt;
        volatile long lastWebSocket;

        Arrivals(int clients) {
            all = new CountDownLatch(2 * clients);
            mqttLeft = clients;
            webSocketLeft = clients;
        }

        /** On the peers' event loop: a subscriber's MQTT message. */
        void mqtt() {
            if (--mqttLeft == 0) {
                lastMqtt = System.nanoTime();
            }
            all.countDown();
        }

        /** On the peers' event loop: a subscriber's WebSocket message. */
        void webSocket() {
            if (--webSocketLeft == 0) {
                lastWebSocket = System.nanoTime();
            }
            all.countDown();
        }
    }

    private static void print(String what, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf(
                Locale.ROOT,
                "  %-20s median %6.2f ms   p99 %6.2f ms   min %6.2f ms%n",
                what,
                s[s.length / 2],
                s[(int) (s.length * 0.99)],
                s[0]);
    }
}

package dev.fusionnode.publish.mqtt;

import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.Transport;
import io.moquette.broker.ClientDescriptor;
import io.moquette.broker.RoutingResults;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.InterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker (Moquette 0.17, MQTT 3.1.1): the node publishes into it in-process, so no
 * client connection exists that could break; subscribers such as {@code mosquitto_sub} connect to
 * its listener (loopback by default, anonymous). Publishing runs on one ordered worker thread, off
 * the event loop.
 *
 * <p>MQTT 5 content types and user properties need an external broker: Moquette speaks MQTT 5 only
 * from 0.18, which the registry here does not serve.
 */
final class EmbeddedBrokerLink implements MqttLink {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerLink.class);
    private static final String PUBLISHER_ID = "fusion-node";

    private final Vertx vertx;
    private final MqttOptions.Embedded options;
    private final Server server = new Server();
    private WorkerExecutor executor;
    private volatile boolean running;
    private List<String> topics = List.of();
    private final String topicPrefix;
    private final NodeMetrics metrics;
    private volatile BrokerClientLimit clientLimit;
    private BiConsumer<String, byte[]> handler;
    private final Consumer<Boolean> overlaysWanted;

    /**
     * @param overlaysWanted told whether any client subscribes to overlays ({@link
     *     OverlaySubscribers})
     */
    EmbeddedBrokerLink(
            Vertx vertx,
            MqttOptions.Embedded options,
            String topicPrefix,
            NodeMetrics metrics,
            Consumer<Boolean> overlaysWanted) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.overlaysWanted = overlaysWanted;
        this.options = options;
        this.topicPrefix = topicPrefix;
    }

    @Override
    public void subscribe(List<String> topics, BiConsumer<String, byte[]> handler) {
        this.topics = List.copyOf(topics);
        this.handler = handler;
    }

    @Override
    public Future<Void> start(Runnable onConnected) {
        executor = vertx.createSharedWorkerExecutor("fusion-mqtt-embedded", 1);
        Context context = vertx.getOrCreateContext();
        List<InterceptHandler> interceptors = new ArrayList<>();
        clientLimit =
                new BrokerClientLimit(
                        options.maxClients(),
                        () ->
                                server.listConnectedClients().stream()
                                        .map(ClientDescriptor::getClientID)
                                        .toList(),
                        server::disconnectClient,
                        id -> metrics.connectionRefused(Transport.MQTT));
        interceptors.add(clientLimit);
        interceptors.add(new OverlaySubscribers(topicPrefix, overlaysWanted));
        if (handler != null) {
            interceptors.add(new Incoming(context));
        }
        return executor.<Void>executeBlocking(
                        () -> {
                            MemoryConfig config = new MemoryConfig(brokerProperties(options));
                            server.startServer(
                                    config,
                                    interceptors,
                                    () -> null, // no TLS listener is configured
                                    options.usersFile().isPresent()
                                            ? new BrokerUsers(options.usersFile().get())
                                            : new io.moquette.broker.security
                                                    .AcceptAllAuthenticator(),
                                    new NodeTopicsPolicy(topicPrefix, topics));
                            return null;
                        })
                .onSuccess(
                        v -> {
                            running = true;
                            LOG.info(
                                    "embedded MQTT broker (Moquette, MQTT 3.1.1) listening on {}:{}",
                                    options.host(),
                                    server.getPort());
                            onConnected.run();
                        })
                .recover(
                        err ->
                                Future.failedFuture(
                                        new IllegalStateException(
                                                "cannot start the embedded MQTT broker on "
                                                        + options.host()
                                                        + ":"
                                                        + options.port()
                                                        + " (mqtt.embedded): "
                                                        + err.getMessage()
                                                        + "; set mqtt.embedded.port, or mqtt.host for an external broker",
                                                err)));
    }

    /** Exact topics, or a filter ending in {@code /#} (the prefix and everything below it). */
    private boolean matches(String topic) {
        for (String t : topics) {
            if (t.equals(topic)
                    || (t.endsWith("/#") && topic.startsWith(t.substring(0, t.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** Publishes of other clients on the subscribed topics, moved onto the event loop. */
    private final class Incoming extends AbstractInterceptHandler {
        private final Context context;

        Incoming(Context context) {
            this.context = context;
        }

        @Override
        public String getID() {
            return "fusion-node-commands";
        }

        @Override
        public void onPublish(InterceptPublishMessage msg) {
            try {
                String topic = msg.getTopicName();
                boolean anonymous = msg.getUsername() == null || msg.getUsername().isEmpty();
                if (anonymous && options.usersFile().isPresent()) {
                    LOG.warn("ignored an anonymous publish on {} (users are configured)", topic);
                } else if (matches(topic)) {
                    byte[] payload = ByteBufUtil.getBytes(msg.getPayload());
                    context.runOnContext(v -> handler.accept(topic, payload));
                }
            } finally {
                msg.getPayload().release(); // each interceptor gets a retained duplicate
            }
        }

        @Override
        public void onSessionLoopError(Throwable error) {
            LOG.warn("embedded MQTT broker session error: {}", error.toString());
        }
    }

    /**
     * Moquette's settings: one listener, anonymous on loopback unless a users file is set, no
     * persistence.
     */
    static Properties brokerProperties(MqttOptions.Embedded options) {
        Properties p = new Properties();
        p.setProperty("host", options.host());
        p.setProperty("port", Integer.toString(options.port()));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", Boolean.toString(options.usersFile().isEmpty()));
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("immediate_buffer_flush", "true");
        p.setProperty("buffer_flush_millis", "0");
        p.setProperty("netty.mqtt.message_size", Integer.toString(options.maxMessageBytes()));
        return p;
    }

    @Override
    public JsonObject brokerClients() {
        BrokerClientLimit l = clientLimit;
        return l == null ? null : l.statusJson();
    }

    /** The port the broker listens on. */
    int port() {
        return server.getPort();
    }

    @Override
    public boolean connected() {
        return running;
    }

    /**
     * Publishes on the calling thread (the publisher's event loop): Moquette's internal publish
     * does not block, it matches the subscriptions and offers the message to its session loops'
     * queues, so handing it to a worker first would only add a thread to every message's path.
     * Fails when no session loop could take it (their queues are full).
     */
    @Override
    public Future<Void> send(OutgoingMessage m) {
        try {
            RoutingResults routed = server.internalPublish(publishMessage(m), PUBLISHER_ID);
            return routed.isAllFailed()
                    ? Future.failedFuture("the embedded broker's session queues are full")
                    : Future.succeededFuture();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private static MqttPublishMessage publishMessage(OutgoingMessage m) {
        return MqttMessageBuilders.publish()
                .topicName(m.topic())
                .qos(MqttQoS.valueOf(m.qos()))
                .retained(m.retain())
                .payload(Unpooled.wrappedBuffer(m.payload()))
                .build();
    }

    @Override
    public Future<Void> stop(OutgoingMessage farewell) {
        if (!running) {
            return executor == null ? Future.succeededFuture() : executor.close();
        }
        running = false;
        return executor.<Void>executeBlocking(
                        () -> {
                            server.internalPublish(publishMessage(farewell), PUBLISHER_ID);
                            server.stopServer();
                            return null;
                        })
                .eventually(() -> executor.close());
    }

    @Override
    public String describe() {
        return "embedded broker " + options.host() + ":" + (running ? port() : options.port());
    }

    @Override
    public String protocol() {
        return "3.1.1";
    }
}

package dev.fusionnode.publish.mqtt;

import dev.fusionnode.inference.ServedModel;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.ImageDemand;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.RateMeter;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.pipeline.Transport;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every encoded frame over MQTT ({@link MqttTopics}): to the embedded broker when no
 * broker is configured, else to the configured one. Messages pass through a bounded {@link
 * OutboundBuffer} and at most {@link #WINDOW} are being handed to the broker at once, so a broker
 * that is slow or away never blocks the pipeline: the oldest messages are dropped and counted
 * ({@code fusionnode.publish.dropped{transport=mqtt}}). A retained status (up, model, device,
 * rates) is published on connect and periodically; its last will says "down".
 */
public final class MqttPublisherVerticle extends Stage {
    private static final Logger LOG = LoggerFactory.getLogger(MqttPublisherVerticle.class);

    /** Messages handed to the broker and not yet written. */
    static final int WINDOW = 8;

    private final MqttOptions options;
    private final String vehicleId;
    private final Supplier<Optional<ServedModel>> model;
    private final MqttTopics topics;
    private final OutboundBuffer buffer;
    private final RateMeter frameRate = new RateMeter();
    private final ImageDemand demand;
    private MqttLink link;
    private int inFlight;
    private boolean draining;
    private long published;
    private long failed;
    private long frames;
    private long statusTimer = -1;

    /**
     * @param options the {@code mqtt} block
     * @param vehicleId vehicle name for the status
     * @param model the model in service, for the status
     * @param metrics pipeline metrics (drops, gauges)
     * @param status live status registry ({@code mqtt} section)
     * @param demand told whether MQTT subscribers take overlays: the embedded broker's
     *     subscriptions say; an external broker's cannot be known, so overlays are always wanted
     */
    public MqttPublisherVerticle(
            MqttOptions options,
            String vehicleId,
            Supplier<Optional<ServedModel>> model,
            NodeMetrics metrics,
            StatusRegistry status,
            ImageDemand demand) {
        super("mqtt", metrics, status);
        this.options = options;
        this.demand = demand;
        this.vehicleId = vehicleId;
        this.model = model;
        this.topics = new MqttTopics(options.topicPrefix(), options.qos());
        this.buffer = new OutboundBuffer(options.bufferMessages());
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> startStage() {
        link =
                options.embeddedBroker()
                        ? new EmbeddedBrokerLink(
                                vertx,
                                options.embedded(),
                                options.topicPrefix(),
                                metrics,
                                w -> demand.want(ImageDemand.Kind.OVERLAY, "mqtt", w))
                        : new ExternalBrokerLink(vertx, options, topics.status(statusJson("down")));
        if (!options.embeddedBroker()) {
            demand.want(ImageDemand.Kind.OVERLAY, "mqtt", true);
        }
        link.subscribe(
                List.of(topics.finetuneCommand(), topics.annotations(), topics.sensors()),
                (topic, payload) -> {
                    if (topic.equals(topics.finetuneCommand())) {
                        vertx.eventBus()
                                .publish(Addresses.FINETUNE_COMMAND, Buffer.buffer(payload));
                    } else if (topic.equals(topics.annotations())) {
                        vertx.eventBus()
                                .publish(Addresses.ANNOTATION_UPLOAD, Buffer.buffer(payload));
                    } else {
                        vertx.eventBus()
                                .send(
                                        Addresses.INGEST_PUSH,
                                        Buffer.buffer(payload),
                                        new DeliveryOptions().addHeader("source", "MQTT " + topic));
                    }
                });
        metrics.gauge(NodeMetrics.MQTT_CONNECTED, "publish", () -> link.connected() ? 1 : 0);
        metrics.gauge(NodeMetrics.MQTT_BUFFERED, "publish", buffer::size);
        return link.start(this::onConnected)
                .onSuccess(
                        v -> {
                            vertx.eventBus()
                                    .<EncodedFrame>localConsumer(
                                            Addresses.ENCODED, m -> onFrame(m.body()));
                            vertx.eventBus()
                                    .<JsonObject>localConsumer(
                                            Addresses.TRAINING_PROGRESS,
                                            m -> enqueue(topics.trainingProgress(m.body())));
                            statusTimer =
                                    vertx.setPeriodic(
                                            options.statusIntervalMs(), id -> publishStatus());
                        });
    }

    /** The port of the embedded broker (for tests and logs), or -1 with an external broker. */
    public int embeddedPort() {
        return link instanceof EmbeddedBrokerLink e ? e.port() : -1;
    }

    private void onConnected() {
        publishStatus();
        drain();
    }

    private void publishStatus() {
        if (link.connected()) {
            // the status goes ahead of frames: it is small and says the node is alive
            OutgoingMessage m =
                    topics.status(statusJson(model.get().isPresent() ? "up" : "starting"));
            inFlight++;
            link.send(m).onComplete(ar -> sent(ar.succeeded()));
        }
    }

    private void onFrame(EncodedFrame f) {
        frames++;
        frameRate.mark();
        if (frames == 1) {
            publishStatus(); // the retained status names the model once it serves
        }
        topics.frame(f).forEach(this::enqueue);
    }

    /** Buffers {@code m} (counting the older messages it pushes out) and sends what it can. */
    private void enqueue(OutgoingMessage m) {
        for (int i = buffer.offer(m); i > 0; i--) {
            metrics.publishDropped(Transport.MQTT);
        }
        drain();
    }

    /** Messages dropped: pushed out of the buffer, or lost in a failed send. */
    private long dropped() {
        return buffer.dropped() + failed;
    }

    private void drain() {
        if (draining) {
            return; // a send that completed at once calls back into here
        }
        draining = true;
        try {
            while (link.connected() && inFlight < WINDOW && !buffer.isEmpty()) {
                OutgoingMessage m = buffer.poll();
                inFlight++;
                link.send(m).onComplete(ar -> sent(ar.succeeded()));
            }
        } finally {
            draining = false;
        }
    }

    private void sent(boolean ok) {
        inFlight--;
        if (ok) {
            published++;
            metrics.mqttPublished();
        } else {
            failed++;
            metrics.publishDropped(Transport.MQTT);
        }
        drain();
    }

    private JsonObject statusJson(String state) {
        JsonObject s =
                new JsonObject()
                        .put("state", state)
                        .put("vehicle", vehicleId)
                        .put("timeNs", System.currentTimeMillis() * 1_000_000L);
        if (state.equals("up")) {
            model.get()
                    .ifPresent(
                            m ->
                                    s.put("model", m.model().version())
                                            .put("device", m.model().device().toString()));
            s.put("framesPerSecond", frameRate.perSecond())
                    .put("framesPublished", frames)
                    .put("messagesPublished", published)
                    .put("messagesDropped", dropped());
        }
        return s;
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        return new JsonObject()
                .put("broker", link.describe())
                .put("protocol", link.protocol())
                .put("connected", link.connected())
                .put("topicPrefix", options.topicPrefix())
                .put("buffered", buffer.size())
                .put("messagesPublished", published)
                .put("messagesDropped", dropped())
                .put("brokerClients", link.brokerClients());
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> stopStage() {
        if (statusTimer >= 0) {
            vertx.cancelTimer(statusTimer);
        }
        LOG.info("MQTT publisher stopping [published: {}, dropped: {}]", published, dropped());
        return link == null
                ? Future.succeededFuture()
                : link.stop(topics.status(statusJson("down")));
    }
}

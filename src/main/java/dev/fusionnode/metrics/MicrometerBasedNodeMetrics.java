package dev.fusionnode.metrics;

import dev.fusionnode.logging.RepeatLimitingHandler;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.Fault;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** {@link NodeMetrics} on a Micrometer registry (Prometheus in the node). Thread-safe. */
public final class MicrometerBasedNodeMetrics implements NodeMetrics {
    private final MeterRegistry registry;
    private final Map<BadInputReason, Counter> badInput = new EnumMap<>(BadInputReason.class);
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Map<Transport, Counter> publishDropped = new EnumMap<>(Transport.class);
    private final Map<Fault, Counter> faults = new EnumMap<>(Fault.class);
    private final Map<Transport, Counter> connectionsRefused = new EnumMap<>(Transport.class);
    private final Counter mqttPublished;
    private final Counter fusedPaired;
    private final Counter fusedCameraOnly;
    private final DistributionSummary skew;
    private final Timer projection;
    private final Timer latency;
    private final Timer inferQueue;
    private final Timer inferPre;
    private final Timer inferForward;
    private final Timer inferPost;
    private final DistributionSummary batchSize;
    private final DistributionSummary unfamiliarity;

    /** The learning loop's events, whose counters exist from the start (at 0). */
    static final List<String> LEARNING_EVENTS =
            List.of(
                    "hard_captured",
                    "hard_skipped",
                    "hard_failed",
                    "hard_duplicate",
                    "sampled",
                    "sampled_skipped",
                    "sampled_failed",
                    "sampled_duplicate",
                    "pseudo_labelled",
                    "teacher_failed");

    /**
     * Creates the meters on {@code registry}.
     *
     * @throws NullPointerException if {@code registry} is null
     */
    public MicrometerBasedNodeMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (BadInputReason r : BadInputReason.values()) {
            badInput.put(
                    r,
                    Counter.builder(BAD_INPUT)
                            .description("Inputs rejected as unreadable or malformed")
                            .tag("reason", r.asTag())
                            .register(registry));
        }
        for (DropReason r : DropReason.values()) {
            dropped.put(
                    r,
                    Counter.builder(DROPPED)
                            .description("Frames that left the pipeline without a result")
                            .tag("reason", r.asTag())
                            .register(registry));
        }
        for (Transport t : Transport.values()) {
            publishDropped.put(
                    t,
                    Counter.builder(PUBLISH_DROPPED)
                            .description("Messages a publisher dropped")
                            .tag("transport", t.asTag())
                            .register(registry));
        }
        for (Fault f : Fault.values()) {
            faults.put(
                    f,
                    Counter.builder(FAULTS)
                            .description(
                                    "The node's own faults (it recovered; the error is logged)")
                            .tag("fault", f.asTag())
                            .register(registry));
        }
        for (Transport t : List.of(Transport.MQTT, Transport.WEBSOCKET)) {
            connectionsRefused.put(
                    t,
                    Counter.builder(CONNECTIONS_REFUSED)
                            .description("Client connections refused: the listener had its most")
                            .tag("listener", t.asTag())
                            .register(registry));
        }
        FunctionCounter.builder(
                        LOG_SUPPRESSED,
                        RepeatLimitingHandler.class,
                        c -> RepeatLimitingHandler.suppressedTotal())
                .description("Repeated warnings held back from the log (their count is logged)")
                .register(registry);
        mqttPublished =
                Counter.builder(MQTT_PUBLISHED)
                        .description("MQTT messages handed to the broker")
                        .register(registry);
        for (String event : LEARNING_EVENTS) {
            registry.counter(LEARNING_FRAMES, "event", event);
        }
        fusedPaired = Counter.builder(FUSED).tag("lidar", "paired").register(registry);
        fusedCameraOnly = Counter.builder(FUSED).tag("lidar", "camera_only").register(registry);
        skew = DistributionSummary.builder(SYNC_SKEW).baseUnit("milliseconds").register(registry);
        projection =
                Timer.builder(PROJECTION_TIME).publishPercentiles(0.5, 0.99).register(registry);
        latency = Timer.builder(PIPELINE_LATENCY).publishPercentiles(0.5, 0.99).register(registry);
        inferQueue = inferenceTimer("queue");
        inferPre = inferenceTimer("preprocess");
        inferForward = inferenceTimer("forward");
        inferPost = inferenceTimer("postprocess");
        batchSize = DistributionSummary.builder(INFERENCE_BATCH).register(registry);
        unfamiliarity =
                DistributionSummary.builder("fusionnode.frame.unfamiliarity")
                        .description("share of a frame's pixels below inference.lowConfidence")
                        .publishPercentiles(0.5, 0.99)
                        .register(registry);
    }

    private Timer inferenceTimer(String phase) {
        return Timer.builder(INFERENCE_TIME)
                .description("Inference time per batch by phase")
                .tag("phase", phase)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /** The registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** {@inheritDoc} */
    @Override
    public void badInput(BadInputReason reason) {
        badInput.get(reason).increment();
    }

    /** {@inheritDoc} */
    @Override
    public void frameDropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    /** {@inheritDoc} */
    @Override
    public void ingested(String sensorId, String kind) {
        registry.counter(INGESTED, "sensor", sensorId, "kind", kind).increment();
    }

    /** {@inheritDoc} */
    @Override
    public void published(String camera) {
        registry.counter(PUBLISHED, "camera", camera).increment();
    }

    /** {@inheritDoc} */
    @Override
    public void sensorPacket(String sensorId, String kind) {
        registry.counter(SENSOR_PACKETS, "sensor", sensorId, "kind", kind).increment();
    }

    /** {@inheritDoc} */
    @Override
    public void sensorStarted(String sensorId, String... packetKinds) {
        for (String kind : packetKinds) {
            registry.counter(SENSOR_PACKETS, "sensor", sensorId, "kind", kind);
        }
        registry.counter(SENSOR_LOST, "sensor", sensorId);
    }

    /** {@inheritDoc} */
    @Override
    public void sensorLost(String sensorId) {
        registry.counter(SENSOR_LOST, "sensor", sensorId).increment();
    }

    /** {@inheritDoc} */
    @Override
    public void fused(boolean paired) {
        (paired ? fusedPaired : fusedCameraOnly).increment();
    }

    /** {@inheritDoc} */
    @Override
    public void syncSkew(long skewNs) {
        skew.record(Math.abs(skewNs) / 1e6);
    }

    /** {@inheritDoc} */
    @Override
    public void projectionTime(long nanos) {
        projection.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@inheritDoc} */
    @Override
    public void pipelineLatency(long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@inheritDoc} */
    @Override
    public void inferenceBatch(
            int size, long queueNanos, long preprocessNanos, long forwardNanos, long postNanos) {
        batchSize.record(size);
        inferQueue.record(queueNanos, TimeUnit.NANOSECONDS);
        inferPre.record(preprocessNanos, TimeUnit.NANOSECONDS);
        inferForward.record(forwardNanos, TimeUnit.NANOSECONDS);
        inferPost.record(postNanos, TimeUnit.NANOSECONDS);
    }

    /** {@inheritDoc} */
    @Override
    public void connectionRefused(Transport listener) {
        Counter c = connectionsRefused.get(listener);
        if (c != null) {
            c.increment();
        }
    }

    /** {@inheritDoc} */
    @Override
    public void publishDropped(Transport transport) {
        publishDropped.get(transport).increment();
    }

    /** {@inheritDoc} */
    @Override
    public void fault(Fault fault) {
        faults.get(fault).increment();
    }

    /** {@inheritDoc} */
    @Override
    public void mqttPublished() {
        mqttPublished.increment();
    }

    /** {@inheritDoc} */
    @Override
    public void learningFrame(String event) {
        registry.counter(LEARNING_FRAMES, "event", event).increment();
    }

    /** {@inheritDoc} */
    @Override
    public void unfamiliarity(double share) {
        unfamiliarity.record(share);
    }

    /** {@inheritDoc} */
    @Override
    public void gauge(String name, String stage, Supplier<Number> value) {
        Gauge.builder(name, value).tag("stage", stage).register(registry);
    }

    /** {@inheritDoc} */
    @Override
    public long badInputs(BadInputReason reason) {
        return (long) badInput.get(reason).count();
    }

    /** {@inheritDoc} */
    @Override
    public long dropped(DropReason reason) {
        return (long) dropped.get(reason).count();
    }

    /** {@inheritDoc} */
    @Override
    public long learningFrames(String event) {
        Counter c = registry.find(LEARNING_FRAMES).tag("event", event).counter();
        return c == null ? 0 : (long) c.count();
    }
}

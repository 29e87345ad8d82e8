package dev.fusionnode.pipeline;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's pipeline metrics. Meter names are the constants below (dot notation; Prometheus shows
 * them with underscores). Tag values come from enums, never from free text.
 */
public interface NodeMetrics {
    /** Counter of rejected inputs, tag {@code reason}. */
    String BAD_INPUT = "fusionnode.input.bad";

    /** Counter of frames that left the pipeline without a result, tag {@code reason}. */
    String DROPPED = "fusionnode.frames.dropped";

    /** Counter of frames and scans entering the pipeline, tags {@code sensor} and {@code kind}. */
    String INGESTED = "fusionnode.frames.ingested";

    /** Counter of frames encoded for publishing, tag {@code camera}. */
    String PUBLISHED = "fusionnode.frames.published";

    /** Counter of fused frames, tag {@code lidar} ({@code paired} or {@code camera_only}). */
    String FUSED = "fusionnode.frames.fused";

    /** Distribution of |LiDAR - camera| time skew of paired frames, milliseconds. */
    String SYNC_SKEW = "fusionnode.sync.skew";

    /** Timer of the projection stage (sanitise, project, encode) per frame. */
    String PROJECTION_TIME = "fusionnode.projection.duration";

    /** Timer from a frame's admission to its completion. */
    String PIPELINE_LATENCY = "fusionnode.pipeline.latency";

    /**
     * Timer of inference per batch, tag {@code phase} (queue, preprocess, forward, postprocess).
     */
    String INFERENCE_TIME = "fusionnode.inference.duration";

    /** Distribution of the inference batch sizes. */
    String INFERENCE_BATCH = "fusionnode.inference.batch.size";

    /**
     * Counter of messages a publisher dropped (slow client, broker away, encoder behind), tag
     * {@code transport}.
     */
    String PUBLISH_DROPPED = "fusionnode.publish.dropped";

    /**
     * Counter of the learning loop's frames, tag {@code event} ({@code hard_captured}, {@code
     * sampled}, {@code hard_skipped}, {@code pseudo_labelled}, ...).
     */
    String LEARNING_FRAMES = "fusionnode.learning.frames";

    /** Gauge of items waiting inside a stage, tag {@code stage}. */
    String QUEUE_DEPTH = "fusionnode.queue.depth";

    /** Gauge of frames admitted by the replay and not yet ended, tag {@code stage}. */
    String IN_FLIGHT = "fusionnode.pipeline.in_flight";

    /** Gauge of camera frames waiting in sync for a LiDAR scan, tag {@code stage}. */
    String SYNC_WAITING = "fusionnode.sync.waiting";

    /** Gauge: 1 while the MQTT link is connected, tag {@code stage}. */
    String MQTT_CONNECTED = "fusionnode.mqtt.connected";

    /** Gauge of MQTT messages buffered while the broker is away, tag {@code stage}. */
    String MQTT_BUFFERED = "fusionnode.mqtt.buffered";

    /** Counter of MQTT messages handed to the broker. */
    String MQTT_PUBLISHED = "fusionnode.mqtt.published";

    /** Gauge of HTTP requests refused by access control, tag {@code stage}. */
    String HTTP_REFUSED = "fusionnode.http.refused";

    /** Gauge of sensors currently stalled, tag {@code stage}. */
    String SENSOR_STALLED = "fusionnode.sensor.stalled";

    /** Counter of a live sensor's packets, tags {@code sensor} and {@code kind}. */
    String SENSOR_PACKETS = "fusionnode.sensor.packets";

    /** Counter of a live sensor's losses, tag {@code sensor}. */
    String SENSOR_LOST = "fusionnode.sensor.lost";

    /**
     * Counter of the node's own faults (a stage failed on good input and recovered), tag {@code
     * fault}: told apart from bad input, which is the input's fault.
     */
    String FAULTS = "fusionnode.faults";

    /**
     * Counter of log lines held back because the same warning repeated (a burst per window goes
     * out, then one line with the count).
     */
    String LOG_SUPPRESSED = "fusionnode.log.suppressed";

    /**
     * Counter of client connections refused because their listener had its most clients, tag {@code
     * listener} ({@code mqtt}: the embedded broker, {@code websocket}: {@code /ws} and {@code
     * /ingest}).
     */
    String CONNECTIONS_REFUSED = "fusionnode.connections.refused";

    /** A no-op implementation for tests and tools. */
    NodeMetrics NOOP = new NodeMetrics() {};

    /** Counts a client connection refused because {@code listener} had its most clients. */
    default void connectionRefused(Transport listener) {}

    /** Counts a frame of {@code camera} encoded for publishing (its masks go out). */
    default void published(String camera) {}

    /** Counts one of the node's own faults. */
    default void fault(Fault fault) {}

    /** Counts a message handed to the MQTT broker. */
    default void mqttPublished() {}

    /** Counts a rejected input. */
    default void badInput(BadInputReason reason) {}

    /** Counts a dropped frame. */
    default void frameDropped(DropReason reason) {}

    /** Counts a frame or scan entering the pipeline. */
    default void ingested(String sensorId, String kind) {}

    /** A packet arrived from a live sensor ({@code kind}: {@code data}, {@code position}). */
    default void sensorPacket(String sensorId, String kind) {}

    /**
     * A live sensor's source started: its packet counters ({@code packetKinds}) and its lost
     * counter exist from now on, at 0 until something happens.
     */
    default void sensorStarted(String sensorId, String... packetKinds) {}

    /** A live sensor was lost (failed to open or stopped delivering); the source retries. */
    default void sensorLost(String sensorId) {}

    /** Counts a fused frame. */
    default void fused(boolean paired) {}

    /** Records the time skew of a paired frame. */
    default void syncSkew(long skewNs) {}

    /** Records the projection stage's time for one frame. */
    default void projectionTime(long nanos) {}

    /** Records a frame's end-to-end latency. */
    default void pipelineLatency(long nanos) {}

    /**
     * Records one inference batch: its size and the time of each phase (queue: the oldest frame's
     * wait for its batch).
     */
    default void inferenceBatch(
            int size, long queueNanos, long preprocessNanos, long forwardNanos, long postNanos) {}

    /**
     * Counts a message dropped by a publisher ({@code encoder}, {@code mqtt}, {@code websocket}).
     */
    default void publishDropped(Transport transport) {}

    /**
     * A frame moved in the learning loop: {@code hard_captured}, {@code sampled}, {@code
     * pseudo_labelled}, {@code teacher_failed}.
     */
    default void learningFrame(String event) {}

    /** A segmented frame's unfamiliarity (share of low-confidence pixels). */
    default void unfamiliarity(double share) {}

    /** Registers a gauge read from {@code value}, tagged with {@code stage}. */
    default void gauge(String name, String stage, Supplier<Number> value) {}

    /** Current count of bad inputs with {@code reason}. */
    default long badInputs(BadInputReason reason) {
        return 0;
    }

    /** Current count of drops with {@code reason}. */
    default long dropped(DropReason reason) {
        return 0;
    }

    /**
     * The drop ledger: the current count of every reason, zeros included (what {@code /metrics},
     * {@code /api/status} and the masks' {@code droppedSoFar} report).
     */
    default Map<DropReason, Long> drops() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            m.put(r, dropped(r));
        }
        return m;
    }

    /** The sum of {@link #drops()}. */
    static long total(Map<DropReason, Long> drops) {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Current count of learning-loop frames with {@code event} (see {@link #learningFrame}). */
    default long learningFrames(String event) {
        return 0;
    }
}

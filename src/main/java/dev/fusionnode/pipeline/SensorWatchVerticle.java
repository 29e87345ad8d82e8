package dev.fusionnode.pipeline;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Watches every sensor's deliveries (camera frames and LiDAR scans by sensor id): a sensor that
 * delivered before and then nothing for {@code stallMs} is stalled. The status section {@code
 * sensors} lists each with its silence; {@link #stalled()} feeds readiness.
 */
public final class SensorWatchVerticle extends Stage {
    private final long stallMs;
    private final Map<String, Long> lastSeenNs = new ConcurrentHashMap<>();
    private final Predicate<String> unwatched;

    /**
     * @param stallMs silence after which a sensor counts as stalled (0: never)
     * @param unwatched sensors listed but never counted as stalled (pushed sensors the node was not
     *     configured with)
     */
    public SensorWatchVerticle(
            long stallMs, Predicate<String> unwatched, StatusRegistry status, NodeMetrics metrics) {
        super("sensors", metrics, status);
        this.stallMs = stallMs;
        this.unwatched = unwatched;
    }

    @Override
    protected Future<?> startStage() {
        var bus = vertx.eventBus();
        bus.<CameraFrame>localConsumer(Addresses.CAMERA, m -> seen(m.body().sensorId()));
        bus.<LidarScan>localConsumer(Addresses.LIDAR, m -> seen(m.body().sensorId()));
        metrics.gauge(NodeMetrics.SENSOR_STALLED, "health", () -> stalled());
        return Future.succeededFuture();
    }

    private void seen(String id) {
        lastSeenNs.put(id, System.nanoTime());
    }

    /** Sensors silent for longer than the stall time. */
    public int stalled() {
        if (stallMs <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        return (int)
                lastSeenNs.entrySet().stream()
                        .filter(e -> isStalled(e.getKey(), now - e.getValue()))
                        .count();
    }

    /**
     * One rule for readiness and the status section, on nanoseconds: the section must not call a
     * sensor fine in the millisecond after readiness counted it stalled.
     */
    private boolean isStalled(String id, long silentNs) {
        return stallMs > 0 && silentNs > stallMs * 1_000_000 && !unwatched.test(id);
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        JsonObject j = new JsonObject();
        long now = System.nanoTime();
        lastSeenNs.forEach(
                (id, t) ->
                        j.put(
                                id,
                                new JsonObject()
                                        .put("lastSeenAgoMs", (now - t) / 1_000_000)
                                        .put("stalled", isStalled(id, now - t))));
        return j;
    }
}

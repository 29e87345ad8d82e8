package dev.fusionnode.cluster;

import dev.fusionnode.metrics.DropReason;
import dev.fusionnode.metrics.NodeMetrics;
import dev.fusionnode.metrics.StatusRegistry;
import dev.fusionnode.sensor.Addresses;
import dev.fusionnode.sensor.FrameDone;
import dev.fusionnode.sensor.FusedFrame;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the ingest node: sends every fused frame to the workers ({@link #FRAMES}, request-reply over
 * the clustered event bus, encoded off the event loop) and turns each answer into the local {@code
 * FRAME_DONE} that returns the replay's credit. Without a worker (none registered, or no answer in
 * time) the frame is dropped and counted ({@code worker_unavailable}), the status says so, and the
 * next frames try again: the pipeline recovers as soon as a worker is back.
 */
public final class ClusterForwarderVerticle extends VerticleBase {
    /** Cluster address of fused frames (body: {@link FusedFrameWire} bytes). */
    public static final String FRAMES = "fusion.cluster.fused";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterForwarderVerticle.class);

    private final long timeoutMs;
    private final NodeMetrics metrics;
    private final StatusRegistry status;
    private long forwarded;
    private long done;
    private long failed;
    private boolean workersReachable = true;
    private String lastError = "";

    /**
     * @param timeoutMs how long a worker may take for one frame
     */
    public ClusterForwarderVerticle(long timeoutMs, NodeMetrics metrics, StatusRegistry status) {
        this.timeoutMs = timeoutMs;
        this.metrics = metrics;
        this.status = status;
    }

    @Override
    public Future<?> start() {
        status.register(
                "cluster",
                () ->
                        new JsonObject()
                                .put("role", "ingest")
                                .put("forwarded", forwarded)
                                .put("done", done)
                                .put("failed", failed)
                                .put("workersReachable", workersReachable)
                                .put("lastError", lastError.isEmpty() ? null : lastError));
        return vertx.eventBus()
                .<FusedFrame>localConsumer(Addresses.FUSED, m -> forward(m.body()))
                .completion();
    }

    private void forward(FusedFrame f) {
        vertx.executeBlocking(() -> FusedFrameWire.encode(f), true)
                .compose(
                        bytes -> {
                            forwarded++;
                            return vertx.eventBus()
                                    .<String>request(
                                            FRAMES,
                                            Buffer.buffer(bytes),
                                            new DeliveryOptions().setSendTimeout(timeoutMs));
                        })
                .onSuccess(
                        reply -> {
                            done++;
                            if (!workersReachable) {
                                LOG.info("cluster: a worker answers again");
                            }
                            workersReachable = true;
                            finish(f, "dropped".equals(reply.body()));
                        })
                .onFailure(
                        err -> {
                            failed++;
                            lastError = err.getMessage();
                            if (workersReachable) {
                                LOG.warn(
                                        "cluster: frame {} of {} not inferred (no worker: {}); frames"
                                                + " are dropped until one answers",
                                        f.camera().seq(),
                                        f.camera().sensorId(),
                                        err.getMessage());
                            }
                            workersReachable = false;
                            metrics.frameDropped(DropReason.WORKER_UNAVAILABLE);
                            finish(f, true);
                        });
    }

    private void finish(FusedFrame f, boolean dropped) {
        vertx.eventBus()
                .publish(
                        Addresses.FRAME_DONE,
                        new FrameDone(f.camera().sensorId(), f.camera().seq(), dropped));
    }
}

package dev.fusionnode.cluster;

import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.FrameEnd;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.StatusRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the ingest node: sends every fused frame to the workers ({@link Addresses#CLUSTER_FRAMES},
 * request-reply over the clustered event bus, encoded off the event loop) and ends each frame at
 * the local {@link CreditStage} when its answer comes. Without a worker (none registered, or no
 * answer in time) the frame is dropped and counted ({@code worker_unavailable}), the status says
 * so, and the next frames try again: the pipeline recovers as soon as a worker is back.
 */
public final class ClusterForwarderVerticle extends VerticleBase {

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
                                            Addresses.CLUSTER_FRAMES,
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
                            CreditStage.end(
                                    vertx.eventBus(),
                                    FrameEnd.dropped(f.camera(), DropReason.WORKER_UNAVAILABLE));
                        });
    }

    private void finish(FusedFrame f, boolean dropped) {
        CreditStage.end(
                vertx.eventBus(),
                dropped
                        ? FrameEnd.dropped(f.camera(), DropReason.WORKER_DROPPED)
                        : FrameEnd.delivered(f.camera()));
    }
}

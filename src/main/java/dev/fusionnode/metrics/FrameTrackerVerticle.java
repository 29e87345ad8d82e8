package dev.fusionnode.metrics;

import dev.fusionnode.sensor.Addresses;
import dev.fusionnode.sensor.FrameDone;
import dev.fusionnode.sensor.FusedFrame;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * The pipeline's terminal stage until inference consumes fused frames: records end-to-end latency
 * and the output rate, and returns each frame's credit to its source ({@link
 * Addresses#FRAME_DONE}).
 */
public final class FrameTrackerVerticle extends VerticleBase {
    private final NodeMetrics metrics;
    private final StatusRegistry status;
    private final RateMeter rate = new RateMeter();
    private long frames;
    private long lastSeq = -1;
    private long lastSkewNs;
    private int lastPoints;

    /** Creates the stage. */
    public FrameTrackerVerticle(NodeMetrics metrics, StatusRegistry status) {
        this.metrics = metrics;
        this.status = status;
    }

    /** {@inheritDoc} */
    @Override
    public Future<?> start() {
        vertx.eventBus().<FusedFrame>localConsumer(Addresses.FUSED, m -> onFused(m.body()));
        status.register("output", this::statusJson);
        return Future.succeededFuture();
    }

    private void onFused(FusedFrame f) {
        metrics.pipelineLatency(System.nanoTime() - f.ingestNanoTime());
        metrics.fused(!f.cameraOnly());
        rate.mark();
        frames++;
        lastSeq = f.camera().seq();
        lastSkewNs = f.skewNs();
        lastPoints = f.pointsInImage();
        vertx.eventBus()
                .publish(
                        Addresses.FRAME_DONE,
                        new FrameDone(f.camera().sensorId(), f.camera().seq(), false));
    }

    private JsonObject statusJson() {
        return new JsonObject()
                .put("frames", frames)
                .put("fps", rate.perSecond())
                .put("lastSeq", lastSeq)
                .put("lastSkewMs", lastSkewNs / 1e6)
                .put("lastPointsInImage", lastPoints);
    }
}

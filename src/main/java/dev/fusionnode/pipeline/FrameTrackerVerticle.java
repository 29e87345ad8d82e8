package dev.fusionnode.pipeline;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Records end-to-end latency and the output rate of segmented frames (or of fused frames when
 * inference is off). Where it is the last stage of a frame's path (no frame encoder after it:
 * inference off) it ends each frame at the {@link CreditStage}.
 */
public final class FrameTrackerVerticle extends Stage {
    private final RateMeter rate = new RateMeter();
    private long frames;
    private long lastSeq = -1;
    private long lastSkewNs;
    private int lastPoints;

    private final boolean segmented;
    private final boolean endsFrames;

    /**
     * Creates the stage.
     *
     * @param segmented consume {@link Addresses#SEGMENTED} (inference on) rather than {@link
     *     Addresses#FUSED}
     * @param endsFrames whether this is the last stage of a frame's path, which ends it at the
     *     credit stage (false when a frame encoder after it is)
     */
    public FrameTrackerVerticle(
            NodeMetrics metrics, StatusRegistry status, boolean segmented, boolean endsFrames) {
        super("output", metrics, status);
        this.segmented = segmented;
        this.endsFrames = endsFrames;
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> startStage() {
        if (segmented) {
            vertx.eventBus()
                    .<SegmentedFrame>localConsumer(
                            Addresses.SEGMENTED, m -> onFused(m.body().fused()));
        } else {
            vertx.eventBus().<FusedFrame>localConsumer(Addresses.FUSED, m -> onFused(m.body()));
        }
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
        if (endsFrames) {
            CreditStage.end(vertx.eventBus(), FrameEnd.delivered(f.camera()));
        }
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        return new JsonObject()
                .put("frames", frames)
                .put("fps", rate.perSecond())
                .put("lastSeq", lastSeq)
                .put("lastSkewMs", lastSkewNs / 1e6)
                .put("lastPointsInImage", lastPoints);
    }
}

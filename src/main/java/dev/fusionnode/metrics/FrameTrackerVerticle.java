package dev.fusionnode.metrics;

import dev.fusionnode.sensor.Addresses;
import dev.fusionnode.sensor.FrameDone;
import dev.fusionnode.sensor.FusedFrame;
import dev.fusionnode.sensor.SegmentedFrame;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Records end-to-end latency and the output rate of segmented frames (or of fused frames when
 * inference is off). Where it is the last stage of a frame's path (no frame encoder after it:
 * inference off, or a cluster's ingest node) it returns each frame's credit to its source ({@link
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

    private final boolean segmented;
    private final boolean returnsCredit;

    /**
     * Creates the stage.
     *
     * @param segmented consume {@link Addresses#SEGMENTED} (inference on) rather than {@link
     *     Addresses#FUSED}
     * @param returnsCredit whether this stage returns each frame's credit (false when a frame
     *     encoder after it does)
     */
    public FrameTrackerVerticle(
            NodeMetrics metrics, StatusRegistry status, boolean segmented, boolean returnsCredit) {
        this.metrics = metrics;
        this.status = status;
        this.segmented = segmented;
        this.returnsCredit = returnsCredit;
    }

    /** {@inheritDoc} */
    @Override
    public Future<?> start() {
        if (segmented) {
            vertx.eventBus()
                    .<SegmentedFrame>localConsumer(
                            Addresses.SEGMENTED, m -> onFused(m.body().fused()));
        } else {
            vertx.eventBus().<FusedFrame>localConsumer(Addresses.FUSED, m -> onFused(m.body()));
        }
        status.register("output", this::statusJson);
        status.register("drops", this::dropsJson);
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
        if (!returnsCredit) {
            return;
        }
        vertx.eventBus()
                .publish(
                        Addresses.FRAME_DONE,
                        new FrameDone(f.camera().sensorId(), f.camera().seq(), false));
    }

    /**
     * The frames that left the pipeline without a published result, by reason: the same ledger as
     * {@code fusionnode_frames_dropped_total} and the masks' {@code droppedSoFar}.
     */
    private JsonObject dropsJson() {
        java.util.Map<DropReason, Long> drops = metrics.drops();
        JsonObject byReason = new JsonObject();
        drops.forEach((r, n) -> byReason.put(r.asTag(), n));
        return new JsonObject().put("total", NodeMetrics.total(drops)).put("byReason", byReason);
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

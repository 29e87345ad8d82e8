package dev.fusionnode.pipeline;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The one stage that returns frame credits: every frame's path ends with a {@link FrameEnd} sent
 * here (by the last stage that handled it, or by the stage that dropped it); this stage counts a
 * drop once in the ledger ({@link NodeMetrics#frameDropped}) and publishes the frame's {@link
 * FrameDone} to its source. The {@code drops} status section reads the same ledger as {@code
 * fusionnode_frames_dropped_total} and the masks' {@code droppedSoFar}.
 */
public final class CreditStage extends Stage {
    private volatile long ended;

    /** Creates the stage. */
    public CreditStage(NodeMetrics metrics, StatusRegistry status) {
        super("drops", metrics, status);
    }

    /** Ends a frame's path: hands {@code end} to the credit stage. */
    public static void end(EventBus bus, FrameEnd end) {
        bus.send(Addresses.FRAME_END, end);
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> startStage() {
        return vertx.eventBus()
                .<FrameEnd>localConsumer(Addresses.FRAME_END, m -> onEnd(m.body()))
                .completion();
    }

    private void onEnd(FrameEnd e) {
        ended++;
        if (e.dropped() != null) {
            metrics.frameDropped(e.dropped());
        }
        vertx.eventBus()
                .publish(
                        Addresses.FRAME_DONE,
                        new FrameDone(e.sensorId(), e.seq(), e.dropped() != null));
    }

    /** Frames whose path has ended (delivered or dropped) since start. */
    public long ended() {
        return ended;
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        Map<DropReason, Long> drops = metrics.drops();
        JsonObject byReason = new JsonObject();
        drops.forEach((r, n) -> byReason.put(r.asTag(), n));
        return new JsonObject()
                .put("total", NodeMetrics.total(drops))
                .put("byReason", byReason)
                .put("framesEnded", ended);
    }
}

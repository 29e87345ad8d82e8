package dev.fusionnode.testutil;

import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.FrameEnd;
import dev.fusionnode.pipeline.FusedFrame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test's terminal stage: collects fused frames (up to a limit) and returns each frame's credit to
 * the source at once, as the node's own terminal stage does.
 */
public final class FrameCollector {
    private final List<FusedFrame> frames = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch latch;
    private final AtomicLong seen = new AtomicLong();

    private FrameCollector(int limit) {
        this.latch = new CountDownLatch(limit);
    }

    /** Attaches a collector of the first {@code limit} fused frames to {@code rt}. */
    public static FrameCollector attach(NodeRuntime rt, int limit) {
        FrameCollector c = new FrameCollector(limit);
        var bus = rt.vertx().eventBus();
        bus.<FusedFrame>localConsumer(
                Addresses.FUSED,
                m -> {
                    FusedFrame f = m.body();
                    c.seen.incrementAndGet();
                    if (c.latch.getCount() > 0) {
                        c.frames.add(f);
                        c.latch.countDown();
                    }
                    CreditStage.end(bus, FrameEnd.delivered(f.camera()));
                });
        return c;
    }

    /** All fused frames seen so far, beyond the limit too. */
    public long seen() {
        return seen.get();
    }

    /** Waits until the limit is reached; returns the frames in arrival order. */
    public List<FusedFrame> await(long seconds) throws InterruptedException {
        if (!latch.await(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(
                    "only " + frames.size() + " fused frames arrived within " + seconds + " s");
        }
        return new ArrayList<>(frames);
    }
}

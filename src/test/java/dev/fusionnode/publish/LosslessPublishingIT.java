package dev.fusionnode.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.SegmentedFrame;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Lossless means every segmented frame is published: the sample drive replayed losslessly at full
 * speed with batches of up to 4 (so that segmented frames arrive four at once, faster than one
 * encoder thread encodes them) gives exactly one encoded frame per source frame, in order per
 * camera, and no drop of any kind.
 */
class LosslessPublishingIT {
    @Test
    void everySegmentedFrameIsEncodedAndPublished() throws Exception {
        JsonObject inference = NodeConfigs.microAt64(4, 50);
        JsonObject json =
                NodeConfigs.node(inference)
                        .put("replay", NodeConfigs.sampleDrive(false).put("startPaused", true))
                        .put("pipeline", new JsonObject().put("maxInFlight", 8))
                        .put("training", NodeConfigs.trainingOff());
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            AtomicLong segmented = new AtomicLong();
            AtomicLong largestBatch = new AtomicLong();
            AtomicLong encoded = new AtomicLong();
            AtomicLong outOfOrder = new AtomicLong();
            AtomicLong last = new AtomicLong(-1);
            Set<Long> seqs = ConcurrentHashMap.newKeySet();
            rt.vertx()
                    .eventBus()
                    .<SegmentedFrame>localConsumer(
                            Addresses.SEGMENTED,
                            m -> {
                                segmented.incrementAndGet();
                                largestBatch.accumulateAndGet(m.body().batchSize(), Math::max);
                            });
            rt.vertx()
                    .eventBus()
                    .<EncodedFrame>localConsumer(
                            Addresses.ENCODED,
                            m -> {
                                long seq = m.body().seq();
                                if (seq <= last.getAndSet(seq)) {
                                    outOfOrder.incrementAndGet();
                                }
                                seqs.add(seq);
                                encoded.incrementAndGet();
                            });
            NodeConfigs.resume(rt);
            Await.until(() -> segmented.get() >= 100, 300, "100 segmented frames");
            Await.until(() -> encoded.get() >= 100, 30, "100 encoded frames");
            assertThat(segmented.get()).isEqualTo(100);
            assertThat(largestBatch.get())
                    .as("largest batch (more than the encoder's two pending frames)")
                    .isGreaterThan(2);
            assertThat(encoded.get()).isEqualTo(100);
            assertThat(seqs).hasSize(100);
            assertThat(outOfOrder.get()).isZero();
            for (DropReason r : DropReason.values()) {
                assertThat(rt.metrics().dropped(r)).as("frames dropped: " + r).isZero();
            }
            JsonObject drops =
                    new JsonObject(HttpCalls.get(rt.httpPort(), "/api/status").body())
                            .getJsonObject("drops");
            assertThat(drops.getLong("total")).as(drops.encode()).isZero();
            assertThat(drops.getJsonObject("byReason").fieldNames())
                    .contains(DropReason.PUBLISH_BEHIND.asTag());
        } finally {
            rt.close();
        }
    }
}

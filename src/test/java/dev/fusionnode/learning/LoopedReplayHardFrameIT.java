package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.SegmentedFrame;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample drive's first frames replayed in a loop with every frame counted as hard: each source
 * frame is kept once, and its repeats on later passes are counted as duplicates, not kept again.
 */
class LoopedReplayHardFrameIT {
    private static final int FRAMES_PER_PASS = 5;

    @TempDir Path dir;

    @Test
    void aLoopingReplayKeepsEachFrameOnce() throws Exception {
        JsonObject json =
                NodeConfigs.learning(
                        Path.of("replay/sample-drive.json"),
                        true,
                        NodeConfigs.microFusion(),
                        NodeConfigs.trainingEveryFrameHard(dir));
        json.getJsonObject("replay").put("rate", "max").put("maxFrames", FRAMES_PER_PASS);
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            AtomicLong segmented = new AtomicLong();
            rt.vertx()
                    .eventBus()
                    .<SegmentedFrame>localConsumer(
                            Addresses.SEGMENTED, m -> segmented.incrementAndGet());
            NodeConfigs.resume(rt);
            var metrics = rt.metrics();
            int passes = 3;
            Await.until(
                    () ->
                            metrics.learningFrames("hard_captured")
                                            + metrics.learningFrames("hard_duplicate")
                                    >= passes * FRAMES_PER_PASS,
                    180,
                    passes + " passes of hard frames written or found kept");
            assertThat(metrics.learningFrames("hard_skipped")).isZero();
            assertThat(metrics.learningFrames("hard_captured")).isEqualTo(FRAMES_PER_PASS);
            assertThat(metrics.learningFrames("hard_duplicate"))
                    .isGreaterThanOrEqualTo((passes - 1) * FRAMES_PER_PASS);
            UnlabelledStore store = rt.training().orElseThrow().unlabelled();
            assertThat(store.size(UnlabelledStore.HARD)).isEqualTo(FRAMES_PER_PASS);
            assertThat(
                            store.entries().stream()
                                    .map(e -> e.meta().getString("origin"))
                                    .collect(Collectors.toSet()))
                    .as("one entry per source frame")
                    .hasSize(FRAMES_PER_PASS);
            assertThat(segmented.get()).isGreaterThanOrEqualTo(passes * FRAMES_PER_PASS);
        } finally {
            rt.close();
        }
    }
}

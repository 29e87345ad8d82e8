package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.model.ClftModel;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.FrameEnd;
import dev.fusionnode.pipeline.SegmentedFrame;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies the whole pipeline with a real (micro, randomly initialised) CLFT: the sample drive
 * replayed losslessly at full speed comes out segmented, every frame once and in order, masks at
 * camera size with valid class indices, and under load the batches fill.
 */
class InferencePipelineIT {
    private static final int FRAMES = 100;

    @TempDir Path dir;

    @Test
    void losslessReplayIsSegmentedFrameByFrameInFullBatches() throws Exception {
        Path playlist = NodeConfigs.samplePlaylistAtFullSpeed(dir);
        JsonObject inference = NodeConfigs.microAt64(4, 200);
        NodeHarness node =
                NodeHarness.start(NodeConfigs.withInference(playlist, 8, inference), false);
        NodeRuntime rt = node.runtime();
        try {
            List<SegmentedFrame> out = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(FRAMES);
            var bus = rt.vertx().eventBus();
            bus.<SegmentedFrame>localConsumer(
                    Addresses.SEGMENTED,
                    m -> {
                        SegmentedFrame s = m.body();
                        out.add(s);
                        done.countDown();
                        var cam = s.fused().camera();
                        CreditStage.end(bus, FrameEnd.delivered(cam));
                    });
            NodeConfigs.resume(rt);
            assertThat(done.await(180, TimeUnit.SECONDS))
                    .as("segmented frames within 180 s: %d", out.size())
                    .isTrue();
            node.awaitReplayDrained(60);
            assertThat(out).hasSize(FRAMES);
            double batchSum = 0;
            for (int i = 0; i < FRAMES; i++) {
                SegmentedFrame s = out.get(i);
                assertThat(s.fused().camera().seq()).isEqualTo(i);
                var img = s.fused().camera().image();
                assertThat(s.mask().width()).isEqualTo(img.width());
                assertThat(s.mask().height()).isEqualTo(img.height());
                var px = s.mask().pixels();
                for (int p = 0; p < px.capacity(); p += 97) {
                    assertThat(px.get(p) & 0xFF).isLessThan(4);
                }
                assertThat(s.modelVersion()).isEqualTo("random-1");
                batchSum += s.batchSize();
            }
            assertThat(batchSum / FRAMES).as("mean batch under load").isGreaterThan(3.0);
            for (DropReason r : DropReason.values()) {
                assertThat(rt.metrics().dropped(r)).as(r.asTag()).isZero();
            }
        } finally {
            rt.close();
        }
    }

    /**
     * Verifies the atomic model swap under load: a second model put in service mid-replay takes
     * over between batches, no frame is lost or repeated, and the first model is closed once its
     * last batch is done.
     */
    @Test
    void aModelSwappedMidStreamLosesNoFrame() throws Exception {
        Path playlist = NodeConfigs.samplePlaylistAtFullSpeed(dir);
        JsonObject inference =
                new JsonObject()
                        .put("model", new JsonObject().put("resampleDim", 16).put("imageSize", 64))
                        .put("maxBatch", 2)
                        .put("maxDelayMs", 20)
                        .put("device", "cpu");
        NodeHarness node =
                NodeHarness.start(NodeConfigs.withInference(playlist, 4, inference), false);
        NodeRuntime rt = node.runtime();
        try {
            InferenceVerticle stage = rt.inference().orElseThrow();
            ServedModel first = stage.current();
            var spec = first.model().spec();
            ServedModel second =
                    new ServedModel(
                            ClftModel.random(spec, ai.djl.Device.cpu(), 2, "random-2"),
                            first.preprocessor());
            List<SegmentedFrame> out = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(FRAMES);
            var bus = rt.vertx().eventBus();
            bus.<SegmentedFrame>localConsumer(
                    Addresses.SEGMENTED,
                    m -> {
                        SegmentedFrame s = m.body();
                        out.add(s);
                        if (out.size() == 30) {
                            stage.swap(second);
                        }
                        done.countDown();
                        var cam = s.fused().camera();
                        CreditStage.end(bus, FrameEnd.delivered(cam));
                    });
            NodeConfigs.resume(rt);
            assertThat(done.await(180, TimeUnit.SECONDS)).isTrue();
            node.awaitReplayDrained(60);
            assertThat(out).hasSize(FRAMES);
            for (int i = 0; i < FRAMES; i++) {
                assertThat(out.get(i).fused().camera().seq()).isEqualTo(i);
            }
            List<String> versions = out.stream().map(SegmentedFrame::modelVersion).toList();
            assertThat(versions.get(0)).isEqualTo("random-1");
            assertThat(versions.get(FRAMES - 1)).isEqualTo("random-2");
            int switchAt = versions.indexOf("random-2");
            assertThat(versions.subList(switchAt, FRAMES)).containsOnly("random-2");
            assertThat(first.references()).as("old model closed").isZero();
            assertThat(stage.current()).isSameAs(second);
        } finally {
            rt.close();
        }
    }
}

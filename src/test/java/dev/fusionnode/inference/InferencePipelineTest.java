package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.app.NodeRuntime;
import dev.fusionnode.metrics.DropReason;
import dev.fusionnode.sensor.Addresses;
import dev.fusionnode.sensor.FrameDone;
import dev.fusionnode.sensor.SegmentedFrame;
import dev.fusionnode.testutil.NodeConfigs;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
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
class InferencePipelineTest {
    private static final int FRAMES = 100;

    @TempDir Path dir;

    @Test
    void losslessReplayIsSegmentedFrameByFrameInFullBatches() throws Exception {
        Path playlist = dir.resolve("sample.json");
        Files.writeString(
                playlist,
                new JsonObject()
                        .put("name", "sample-drive")
                        .put(
                                "recording",
                                Path.of("recordings/sample-drive").toAbsolutePath().toString())
                        .put("rate", "max")
                        .put("loop", false)
                        .encode());
        JsonObject inference =
                new JsonObject()
                        .put(
                                "model",
                                new JsonObject()
                                        .put("backbone", "vit_micro_patch16_384")
                                        .put("resampleDim", 16)
                                        .put("imageSize", 64))
                        .put("maxBatch", 4)
                        .put("maxDelayMs", 200)
                        .put("device", "cpu");
        NodeRuntime rt =
                NodeRuntime.start(NodeConfigs.withInference(playlist, 8, inference), false)
                        .await(120, TimeUnit.SECONDS);
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
                        bus.publish(
                                Addresses.FRAME_DONE,
                                new FrameDone(cam.sensorId(), cam.seq(), false));
                    });
            NodeConfigs.resume(rt);
            assertThat(done.await(180, TimeUnit.SECONDS))
                    .as("segmented frames within 180 s: %d", out.size())
                    .isTrue();
            Thread.sleep(300);
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
}

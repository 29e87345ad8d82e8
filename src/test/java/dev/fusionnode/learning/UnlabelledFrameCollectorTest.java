package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.config.ConfigReader;
import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.Codecs;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.SegmentedFrame;
import dev.fusionnode.testutil.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's back-pressure: while the store's writer is held up, hard frames and sampled
 * frames queue apart up to their own bounds, the rest are counted as skipped (never silently lost),
 * a full sampled queue never keeps a hard frame out, and a failed write is counted while the
 * collector goes on keeping frames.
 */
class UnlabelledFrameCollectorTest {
    private static final double HARD = 0.5;
    private static final double FAMILIAR = 0.0;

    @TempDir Path dir;

    private final Map<String, AtomicLong> events = new ConcurrentHashMap<>();
    private Vertx vertx;
    private UnlabelledStore store;
    private long seq;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Codecs.register(vertx);
        store = UnlabelledStore.open(dir, Long.MAX_VALUE);
        FineTuneOptions options =
                FineTuneOptions.from(
                        new ConfigReader(
                                new JsonObject()
                                        .put("sampleEvery", 1)
                                        .put(
                                                "hardFrames",
                                                new JsonObject()
                                                        .put("threshold", 0.1)
                                                        .put("minIntervalMs", 0)
                                                        .put("maxPending", 2)),
                                "test",
                                Map.of()));
        NodeMetrics metrics =
                new NodeMetrics() {
                    @Override
                    public void learningFrame(String event) {
                        events.computeIfAbsent(event, e -> new AtomicLong()).incrementAndGet();
                    }
                };
        vertx.deployVerticle(new UnlabelledFrameCollector(store, options, metrics, 1))
                .await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private long count(String event) {
        AtomicLong n = events.get(event);
        return n == null ? 0 : n.get();
    }

    private void segmented(double unfamiliarity) {
        long s = seq++;
        byte[] pixels = new byte[8 * 4 * 3];
        ByteBuffer.wrap(pixels).putLong(s); // a frame of its own
        Image camera = new Image(8, 4, 3, pixels);
        Image mask = new Image(8, 4, 1, new byte[8 * 4]);
        vertx.eventBus()
                .publish(
                        Addresses.SEGMENTED,
                        new SegmentedFrame(
                                new FusedFrame(
                                        new CameraFrame(
                                                "front",
                                                s,
                                                1_700_000_000_000_000_000L + s,
                                                camera,
                                                "drive/camera/" + s),
                                        Optional.empty(),
                                        Optional.of(camera),
                                        0,
                                        0,
                                        System.nanoTime()),
                                mask,
                                SegmentedFrame.certain(mask),
                                unfamiliarity,
                                "v1",
                                1,
                                0,
                                0,
                                0,
                                0,
                                0));
    }

    @Test
    void hardFramesQueueApartFromSampledOnesAndSkipsAreCounted() throws Exception {
        // the writer blocks in UnlabelledStore.add (synchronized) while the test holds the store
        synchronized (store) {
            segmented(HARD); // written first: the writer now waits for the store
            segmented(FAMILIAR); // sampled, waits: the sampled queue (1) is full
            segmented(HARD); // waits beside it: hard frames have their own queue (2)
            segmented(FAMILIAR); // skipped
            segmented(HARD); // skipped
            segmented(FAMILIAR); // skipped
            segmented(HARD); // skipped
            Await.until(
                    () -> count("hard_skipped") == 2 && count("sampled_skipped") == 2,
                    10,
                    "2 hard and 2 sampled frames skipped");
            assertThat(count("hard_captured") + count("sampled")).isZero();
        }
        Await.until(() -> store.size() == 3, 10, "the 3 queued frames kept");
        assertThat(store.size(UnlabelledStore.HARD)).isEqualTo(2);
        assertThat(store.size(UnlabelledStore.SAMPLED)).isEqualTo(1);
        assertThat(store.entries())
                .extracting(e -> e.meta().getLong("seq"))
                .containsExactly(0L, 1L, 2L);
        assertThat(store.entries().get(0).lidar()).as("the CLFT LiDAR image kept").isPresent();
        Await.until(
                () -> count("hard_captured") == 2 && count("sampled") == 1, 10, "captures counted");
        assertThat(count("hard_skipped")).isEqualTo(2);

        // a write that fails (the camera folder is gone and a file stands in its place): counted,
        // and the next frame is kept once the folder is back
        Path cameras = dir.resolve("camera");
        Path aside = dir.resolve("camera-aside");
        Files.move(cameras, aside);
        Files.writeString(cameras, "not a folder");
        segmented(HARD);
        Await.until(() -> count("hard_failed") == 1, 10, "a failed write counted");
        Files.delete(cameras);
        Files.move(aside, cameras);
        segmented(HARD);
        Await.until(() -> store.size(UnlabelledStore.HARD) == 3, 10, "kept again");
        // counted on the event loop once the write completes, after the store has it
        Await.until(() -> count("hard_captured") == 3, 10, "the capture counted");
        assertThat(count("hard_failed")).isEqualTo(1);
    }
}

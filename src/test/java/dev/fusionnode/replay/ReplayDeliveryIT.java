package dev.fusionnode.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.FrameEnd;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.FrameCollector;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.SyntheticKittiDrive;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies the replay delivery modes end to end: replay, sync, projection, and a terminal consumer
 * of ours.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplayDeliveryIT {
    private static final int FRAMES = 200;

    @TempDir static Path dir;

    static Path playlistMax;
    static Path playlistFast;

    @BeforeAll
    static void writeDrive() throws Exception {
        SyntheticKittiDrive.write(dir, FRAMES);
        playlistMax = SyntheticKittiDrive.playlist(dir, "max", false);
        playlistFast = SyntheticKittiDrive.playlist(dir, "20", false);
    }

    /** One received frame's identity and content digest. */
    record Output(long seq, long captureTimeNs, long skewNs, int points, int lidarHash) {
        static Output of(FusedFrame f) {
            return new Output(
                    f.camera().seq(),
                    f.camera().captureTimeNs(),
                    f.skewNs(),
                    f.pointsInImage(),
                    f.lidarImage().map(i -> i.contentHash()).orElse(0));
        }
    }

    /**
     * Verifies that lossless mode at max rate delivers all 200 frames in order with nothing
     * dropped, and that two runs produce identical output sequences.
     */
    @Test
    void losslessAtMaxRateDeliversEveryFrameInOrderIdenticallyTwice() throws Exception {
        List<Output> first = runLossless();
        List<Output> second = runLossless();

        assertThat(first).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(first.get(i).seq()).isEqualTo(i);
        }
        assertThat(first).allSatisfy(o -> assertThat(o.points()).isPositive());
        assertThat(first.stream().map(Output::lidarHash).distinct().count())
                .isGreaterThan(FRAMES / 2);
        assertThat(second).isEqualTo(first);
    }

    private List<Output> runLossless() throws Exception {
        NodeHarness node =
                NodeHarness.start(NodeConfigs.replay(playlistMax, "lossless", 4, 2), false);
        NodeRuntime rt = node.runtime();
        try {
            FrameCollector collector = FrameCollector.attach(rt, FRAMES);
            NodeConfigs.resume(rt);
            List<Output> out = collector.await(90).stream().map(Output::of).toList();
            node.awaitReplayDrained(60);
            assertThat(collector.seen()).as("no frame twice, none extra").isEqualTo(FRAMES);
            for (DropReason r : DropReason.values()) {
                assertThat(rt.metrics().dropped(r)).as(r.asTag()).isZero();
            }
            return new ArrayList<>(out);
        } finally {
            rt.close();
        }
    }

    /**
     * Verifies that looping replays the same frames again with capture times that keep increasing
     * across the wrap, and that maxFrames bounds each pass.
     */
    @Test
    void loopRepeatsFramesWithIncreasingTimes() throws Exception {
        Path looping = SyntheticKittiDrive.playlist(dir, "max", true);
        var replay =
                new io.vertx.core.json.JsonObject()
                        .put("playlist", looping.toString())
                        .put("startFrame", 5)
                        .put("maxFrames", 10);
        NodeHarness node = NodeHarness.start(NodeConfigs.replay(replay, 4, 2), false);
        NodeRuntime rt = node.runtime();
        try {
            FrameCollector collector = FrameCollector.attach(rt, 25);
            NodeConfigs.resume(rt);
            List<Output> got = collector.await(60).stream().map(Output::of).toList();
            assertThat(got.get(0).seq()).isEqualTo(5);
            for (int i = 1; i < got.size(); i++) {
                assertThat(got.get(i).captureTimeNs())
                        .isGreaterThan(got.get(i - 1).captureTimeNs());
            }
            for (int i = 10; i < got.size(); i++) {
                assertThat(got.get(i).lidarHash()).isEqualTo(got.get(i - 10).lidarHash());
            }
            assertThat(got.get(10).seq()).isEqualTo(FRAMES + 5);
        } finally {
            rt.close();
        }
    }

    /**
     * Live delivery paused while frames wait for credits: the credits that come back during the
     * pause are taken by the waiting frames on resume (they were left waiting for good, and the
     * replay dropped every new frame for lag while nothing was in flight).
     */
    @Test
    void liveResumesWithTheFramesThatWaitedForCredits() throws Exception {
        NodeHarness node = NodeHarness.start(NodeConfigs.replay(playlistMax, "live", 1, 2), false);
        NodeRuntime rt = node.runtime();
        try {
            List<FusedFrame> held = new CopyOnWriteArrayList<>();
            rt.vertx()
                    .eventBus()
                    .<FusedFrame>localConsumer(Addresses.FUSED, m -> held.add(m.body()))
                    .completion()
                    .await(10, TimeUnit.SECONDS);
            NodeConfigs.resume(rt);
            // one frame in flight (held here), two waiting for its credit
            node.awaitSection("replay", r -> r.getInteger("waiting") == 2, 30, "2 waiting");
            Await.until(() -> held.size() == 1, 30, "the frame in flight");
            replay(rt, "pause");
            CreditStage.end(rt.vertx().eventBus(), FrameEnd.delivered(held.get(0).camera()));
            node.awaitSection("replay", r -> r.getInteger("inFlight") == 0, 10, "credit back");
            replay(rt, "resume");
            Await.until(() -> held.size() == 2, 30, "a waiting frame goes once resumed");
        } finally {
            rt.close();
        }
    }

    private static void replay(NodeRuntime rt, String action) throws Exception {
        rt.vertx()
                .eventBus()
                .request(
                        Addresses.REPLAY_CONTROL,
                        new io.vertx.core.json.JsonObject().put("action", action))
                .await(10, TimeUnit.SECONDS);
    }

    /**
     * Verifies that live mode with a consumer slower than the replay drops frames, counts every
     * drop, keeps the survivors in order, and that the HTTP health endpoint keeps answering
     * meanwhile.
     */
    @Test
    void liveModeWithSlowConsumerCountsDropsAndStaysResponsive() throws Exception {
        NodeHarness node = NodeHarness.start(NodeConfigs.replay(playlistFast, "live", 1, 2), false);
        NodeRuntime rt = node.runtime();
        HttpClient client = rt.vertx().createHttpClient();
        try {
            List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
            rt.vertx()
                    .eventBus()
                    .<FusedFrame>localConsumer(
                            Addresses.FUSED,
                            m -> {
                                FusedFrame f = m.body();
                                seqs.add(f.camera().seq());
                                // a consumer that needs 40 ms per frame while frames come every 5
                                // ms
                                rt.vertx()
                                        .setTimer(
                                                40,
                                                id ->
                                                        CreditStage.end(
                                                                rt.vertx().eventBus(),
                                                                FrameEnd.delivered(f.camera())));
                            });
            NodeConfigs.resume(rt);
            AtomicLong maxHealthMs = new AtomicLong();
            Await.until(
                    () -> {
                        long t0 = System.nanoTime();
                        int code = liveStatus(rt, client);
                        maxHealthMs.accumulateAndGet(
                                (System.nanoTime() - t0) / 1_000_000, Math::max);
                        assertThat(code).isEqualTo(200);
                        return "finished".equals(node.section("replay").getString("state"));
                    },
                    60,
                    "the replay finished, /health/live answering throughout");
            node.awaitReplayDrained(30);
            long dropped = rt.metrics().dropped(DropReason.PIPELINE_LAG);
            var replay = rt.status().snapshot().getJsonObject("replay");
            assertThat(replay.getString("state")).isEqualTo("finished");
            assertThat(dropped).isPositive();
            assertThat(replay.getLong("droppedForLag")).isEqualTo(dropped);
            assertThat(seqs.size() + dropped).isEqualTo(FRAMES);
            assertThat(seqs).isSorted();
            assertThat(rt.registry().scrape())
                    .contains(
                            "fusionnode_frames_dropped_total{reason=\"pipeline_lag\"} "
                                    + dropped
                                    + ".0");
            assertThat(maxHealthMs.get()).isLessThan(1000);
        } finally {
            client.close();
            rt.close();
        }
    }

    private static int liveStatus(NodeRuntime rt, HttpClient client) {
        try {
            return HttpCalls.call(rt.vertx(), client, HttpMethod.GET, rt.httpPort(), "/health/live")
                    .status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

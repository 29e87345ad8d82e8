package dev.fusionnode.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.TestData;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.FrameCollector;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.SyntheticKittiDrive;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that a replayed drive full of bad files keeps the node running: every bad file is
 * counted in {@code /metrics} under its reason, unreadable frames are skipped, frames with a bad
 * scan or calibration go on camera-only, and the good frames come through.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputReplayIT {
    @TempDir Path dir;

    /**
     * Verifies the KITTI-layout cases: truncated scan, corrupt PNG, bad calibration, NaN points,
     * missing file.
     */
    @Test
    void kittiDriveWithBadFiles() throws Exception {
        SyntheticKittiDrive.write(dir, 10);
        byte[] bin = Files.readAllBytes(dir.resolve("velodyne/000001.bin"));
        Files.write(dir.resolve("velodyne/000001.bin"), Arrays.copyOf(bin, bin.length - 5));
        byte[] png = Files.readAllBytes(dir.resolve("image_2/000002.png"));
        Files.write(dir.resolve("image_2/000002.png"), Arrays.copyOf(png, png.length / 2));
        Files.writeString(dir.resolve("calib/000003.txt"), "P2: 1 2 three\n");
        byte[] nan = Files.readAllBytes(dir.resolve("velodyne/000004.bin"));
        ByteBuffer.wrap(nan)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(0, Float.NaN)
                .putFloat(20, Float.POSITIVE_INFINITY);
        Files.write(dir.resolve("velodyne/000004.bin"), nan);
        Files.delete(dir.resolve("image_2/000005.png"));

        Result r = replay(SyntheticKittiDrive.playlist(dir, "max", false), 8);

        assertThat(r.frames.stream().map(FusedFrame::cameraOnly).filter(b -> b).count())
                .isEqualTo(2);
        assertThat(r.frames.stream().map(f -> f.camera().seq()).toList())
                .containsExactly(0L, 1L, 3L, 4L, 6L, 7L, 8L, 9L);
        assertThat(r.metrics)
                .contains("fusionnode_input_bad_total{reason=\"truncated_scan\"} 1.0")
                .contains("fusionnode_input_bad_total{reason=\"corrupt_image\"} 1.0")
                .contains("fusionnode_input_bad_total{reason=\"malformed_calibration\"} 1.0")
                .contains("fusionnode_input_bad_total{reason=\"non_finite_points\"} 1.0")
                .contains("fusionnode_input_bad_total{reason=\"missing_file\"} 1.0")
                .contains("fusionnode_frames_dropped_total{reason=\"bad_input\"} 2.0");
        assertThat(r.liveAfter).isEqualTo(200);
    }

    /**
     * Verifies the ZOD-layout case: a pickle without the expected keys leaves its frame
     * camera-only.
     */
    @Test
    void zodDriveWithPickleMissingKeys() throws Exception {
        Path src = TestData.resource("fixtures/zod_dataset");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path target = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.copy(
                TestData.resource("fixtures/bad/missing_keys.pkl"),
                dir.resolve("lidar/frame_000002.pkl"),
                StandardCopyOption.REPLACE_EXISTING);
        Path playlist = dir.resolve("playlist.json");
        Files.writeString(
                playlist,
                "{\"rate\": \"max\", \"dataset\": {\"root\": \""
                        + dir
                        + "\", \"layout\": \"zod\"}}");

        Result r = replay(playlist, 3);

        assertThat(r.frames.stream().map(FusedFrame::cameraOnly).toList())
                .containsExactly(false, true, false);
        assertThat(r.metrics)
                .contains("fusionnode_input_bad_total{reason=\"malformed_pickle\"} 1.0");
        assertThat(r.liveAfter).isEqualTo(200);
    }

    /**
     * A looping drive none of whose files exist stops after its second pass over nothing, with the
     * reason in its status, instead of warning tens of thousands of times while saying "playing".
     */
    @Test
    void aLoopingDriveOfMissingFilesStops() throws Exception {
        SyntheticKittiDrive.write(dir, 10);
        for (String sub : List.of("image_2", "velodyne", "calib")) {
            try (Stream<Path> files = Files.list(dir.resolve(sub))) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        NodeHarness node =
                NodeHarness.start(
                        NodeConfigs.replay(
                                SyntheticKittiDrive.playlist(dir, "max", true), "lossless", 4, 2),
                        false);
        NodeRuntime rt = node.runtime();
        try {
            NodeConfigs.resume(rt);
            Await.until(
                    () ->
                            rt.status()
                                    .snapshot()
                                    .getJsonObject("replay")
                                    .getString("state")
                                    .startsWith("failed"),
                    60,
                    "the replay to stop");
            assertThat(rt.status().snapshot().getJsonObject("replay").getString("state"))
                    .contains("no frame of drive 'synthetic' could be read");
            long bad = rt.metrics().badInputs(BadInputReason.MISSING_FILE);
            assertThat(bad).as("missing-file reads before stopping").isBetween(10L, 40L);
        } finally {
            rt.close();
        }
    }

    private record Result(List<FusedFrame> frames, String metrics, int liveAfter) {}

    private Result replay(Path playlist, int expectedFrames) throws Exception {
        NodeHarness node = NodeHarness.start(NodeConfigs.replay(playlist, "lossless", 4, 2), false);
        NodeRuntime rt = node.runtime();
        HttpClient client = rt.vertx().createHttpClient();
        try {
            FrameCollector collector = FrameCollector.attach(rt, expectedFrames);
            NodeConfigs.resume(rt);
            List<FusedFrame> frames = collector.await(60);
            node.awaitReplayDrained(60);
            String metrics =
                    HttpCalls.call(rt.vertx(), client, HttpMethod.GET, rt.httpPort(), "/metrics")
                            .body()
                            .toString();
            int live =
                    HttpCalls.call(
                                    rt.vertx(),
                                    client,
                                    HttpMethod.GET,
                                    rt.httpPort(),
                                    "/health/live")
                            .status();
            return new Result(frames, metrics, live);
        } finally {
            client.close();
            rt.close();
        }
    }
}

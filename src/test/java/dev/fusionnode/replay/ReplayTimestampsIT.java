package dev.fusionnode.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.testutil.FrameCollector;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.SyntheticKittiDrive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies end to end that a drive with a {@code timestamps.json} is replayed at the capture times
 * of the file: camera frames and scans carry them exactly, loops shift them past the previous pass,
 * and real-time pacing follows their irregular spacing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplayTimestampsIT {
    /** Above 2^53, odd: a pass through a double would change it. */
    private static final long T0 = 1_700_000_000_000_000_003L;

    /** Irregular camera times; gaps 100.003, 89.997017, 119.999983, 88.765432, 113.580246 ms. */
    private static final long[] CAMERA = {
        T0, T0 + 100_003_000, T0 + 190_000_017, T0 + 310_000_000, T0 + 398_765_432, T0 + 512_345_678
    };

    /** LiDAR times 10.999999 to 13.000007 ms before the camera's. */
    private static final long[] LIDAR = {
        CAMERA[0] - 12_000_000,
        CAMERA[1] - 12_053_001,
        CAMERA[2] - 11_900_000,
        CAMERA[3] - 13_000_007,
        CAMERA[4] - 12_000_000,
        CAMERA[5] - 10_999_999
    };

    /** Camera time range plus the median gap (100.003 ms). */
    private static final long LOOP_SPAN = 512_345_678 + 100_003_000;

    @TempDir static Path dir;

    @BeforeAll
    static void writeDrive() throws Exception {
        SyntheticKittiDrive.write(dir, CAMERA.length);
        writeTimestamps(dir, CAMERA, LIDAR);
    }

    /** Writes a {@code timestamps.json} for KITTI frames {@code 000000...} at {@code root}. */
    static void writeTimestamps(Path root, long[] camera, long[] lidar) throws IOException {
        StringBuilder json =
                new StringBuilder("{\"cameraId\": \"front\", \"frameRateHz\": 10.0, \"frames\": {");
        for (int i = 0; i < camera.length; i++) {
            json.append(i == 0 ? "" : ", ")
                    .append(
                            String.format(
                                    "\"%06d\": {\"camera\": %d, \"lidar\": %d}",
                                    i, camera[i], lidar[i]));
        }
        Files.writeString(root.resolve("timestamps.json"), json.append("}}").toString());
    }

    /** Verifies that every camera frame and its scan carry exactly the file's times. */
    @Test
    void framesAndScansCarryTheCaptureTimesOfTheFile() throws Exception {
        List<FusedFrame> frames =
                replay(SyntheticKittiDrive.playlist(dir, "max", false), CAMERA.length);

        assertThat(frames).allSatisfy(f -> assertThat(f.lidar()).isPresent());
        assertThat(frames.stream().map(f -> f.camera().captureTimeNs()))
                .containsExactly(boxed(CAMERA));
        assertThat(frames.stream().map(f -> f.lidar().get().timeNs()))
                .containsExactly(boxed(LIDAR));
        assertThat(frames.stream().map(f -> f.camera().seq()))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    /**
     * Verifies that looping shifts each pass by the camera time range plus the median gap, so that
     * camera and LiDAR times keep increasing across the wraps.
     */
    @Test
    void loopingKeepsTimesIncreasing() throws Exception {
        int n = CAMERA.length;
        List<FusedFrame> frames = replay(SyntheticKittiDrive.playlist(dir, "max", true), 3 * n);

        for (int i = 0; i < frames.size(); i++) {
            int pass = i / n;
            FusedFrame f = frames.get(i);
            assertThat(f.camera().captureTimeNs()).isEqualTo(CAMERA[i % n] + pass * LOOP_SPAN);
            assertThat(f.lidar().get().timeNs()).isEqualTo(LIDAR[i % n] + pass * LOOP_SPAN);
            if (i > 0) {
                FusedFrame prev = frames.get(i - 1);
                assertThat(f.camera().captureTimeNs()).isGreaterThan(prev.camera().captureTimeNs());
                assertThat(f.lidar().get().timeNs()).isGreaterThan(prev.lidar().get().timeNs());
            }
        }
    }

    /**
     * Verifies that real-time playback waits for the capture-time gaps: a frame captured 1.5 s
     * after the first (instead of the nominal 10 Hz 200 ms) enters the pipeline at least 1.2 s
     * after it.
     */
    @Test
    void realTimePacingFollowsCaptureTimes(@TempDir Path slow) throws Exception {
        SyntheticKittiDrive.write(slow, 3);
        long[] camera = {T0, T0 + 40_000_000, T0 + 1_500_000_000};
        long[] lidar = {T0 - 5_000_000, T0 + 35_000_000, T0 + 1_495_000_000};
        writeTimestamps(slow, camera, lidar);

        List<FusedFrame> frames = replay(SyntheticKittiDrive.playlist(slow, "1", false), 3);

        assertThat(frames.stream().map(f -> f.camera().captureTimeNs()))
                .containsExactly(boxed(camera));
        assertThat(frames.get(2).ingestNanoTime() - frames.get(0).ingestNanoTime())
                .isGreaterThanOrEqualTo(1_200_000_000L);
    }

    private static Long[] boxed(long[] values) {
        return Arrays.stream(values).boxed().toArray(Long[]::new);
    }

    private static List<FusedFrame> replay(Path playlist, int frames) throws Exception {
        NodeHarness node = NodeHarness.start(NodeConfigs.replay(playlist, "lossless", 4, 2), false);
        NodeRuntime rt = node.runtime();
        try {
            FrameCollector collector = FrameCollector.attach(rt, frames);
            NodeConfigs.resume(rt);
            return collector.await(60);
        } finally {
            rt.close();
        }
    }

    /** What {@code synth} and {@code export} write reads back to the same times, in order. */
    @Test
    void formattedFileReadsBack(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        List<DriveTimestamps.Entry> frames =
                List.of(
                        new DriveTimestamps.Entry(
                                "frame_000000",
                                1_700_000_000_000_000_000L,
                                1_699_999_999_990_000_000L),
                        new DriveTimestamps.Entry(
                                "frame_000001",
                                1_700_000_000_100_000_123L,
                                1_700_000_000_090_000_000L));
        Path file = dir.resolve(DriveTimestamps.FILE_NAME);
        Files.writeString(file, DriveTimestamps.format("front", "top", 10.0, frames));
        DriveTimestamps t =
                DriveTimestamps.read(
                        file,
                        List.of("camera/frame_000000.png", "camera/frame_000001.png"),
                        "t",
                        10);
        assertThat(t.cameraId()).contains("front");
        assertThat(t.frameRateHz().getAsDouble()).isEqualTo(10.0);
        assertThat(t.cameraTimeNs(1, 0)).isEqualTo(1_700_000_000_100_000_123L);
        assertThat(t.lidarTimeNs(0, 0)).isEqualTo(1_699_999_999_990_000_000L);
        Files.writeString(file, DriveTimestamps.format("front", "top", Double.NaN, frames));
        assertThat(Files.readString(file)).doesNotContain("frameRateHz");
        assertThat(Files.readAllLines(file)).hasSize(8); // one line per frame
    }
}

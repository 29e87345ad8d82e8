package dev.fusionnode.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verifies how a playlist finds and validates a drive's {@code timestamps.json} and the times the
 * drive derives from it (or, without one, from its frame rate).
 */
class DriveTimestampsTest {
    private static final String LINES =
            "[\"camera/frame_000000.png\", \"camera/frame_000001.png\", \"camera/frame_000002.png\"]";

    @TempDir Path dir;

    /** Verifies that a timestamps.json at the root is used without being named. */
    @Test
    void timestampsAtTheRootAreFoundAutomatically() throws Exception {
        Files.writeString(dir.resolve("timestamps.json"), threeFrames(1000));

        ReplayDrive drive = ReplayPlaylist.load(playlist("")).dataset();

        assertThat(drive.timestamps()).isPresent();
        assertThat(drive.timestamps().get().file()).isEqualTo(dir.resolve("timestamps.json"));
        assertThat(drive.cameraTimeNs(0, 0)).isEqualTo(1000);
        assertThat(drive.cameraTimeNs(1, 0)).isEqualTo(1100);
        assertThat(drive.cameraTimeNs(2, 0)).isEqualTo(1250);
        assertThat(drive.lidarTimeNs(2, 0)).isEqualTo(1240);
        // range 250 + median gap (100, 150 -> 125)
        assertThat(drive.cameraTimeNs(0, 2)).isEqualTo(1000 + 2 * 375);
        assertThat(drive.lidarTimeNs(1, 1)).isEqualTo(1090 + 375);
    }

    /**
     * Verifies that a named file (relative to the root) is used, and wins over a timestamps.json at
     * the root.
     */
    @Test
    void namedTimestampsFileWinsOverTheRootOne() throws Exception {
        Files.writeString(dir.resolve("timestamps.json"), threeFrames(1000));
        Files.createDirectories(dir.resolve("meta"));
        Files.writeString(dir.resolve("meta/times.json"), threeFrames(5000));

        ReplayDrive drive =
                ReplayPlaylist.load(playlist(", \"timestamps\": \"meta/times.json\"")).dataset();

        assertThat(drive.timestamps().get().file()).isEqualTo(dir.resolve("meta/times.json"));
        assertThat(drive.cameraTimeNs(0, 0)).isEqualTo(5000);
    }

    /** Verifies that a named file that does not exist is a config error for the key. */
    @Test
    void namedTimestampsFileMustExist() throws Exception {
        assertThatThrownBy(() -> ReplayPlaylist.load(playlist(", \"timestamps\": \"nope.json\"")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dataset.timestamps")
                .hasMessageContaining("nope.json");
    }

    /**
     * Verifies that without timestamps the drive keeps its nominal times: start + timeline index *
     * period, scans offset by lidarOffsetMs.
     */
    @Test
    void withoutTimestampsTimesFollowTheFrameRate() throws Exception {
        ReplayDrive drive =
                ReplayPlaylist.load(
                                playlist(
                                        ", \"frameRateHz\": 20, \"startTimeNs\": 7000000000,"
                                                + " \"lidarOffsetMs\": -12"))
                        .dataset();

        assertThat(drive.timestamps()).isEmpty();
        assertThat(drive.cameraTimeNs(2, 1)).isEqualTo(7_000_000_000L + 5 * 50_000_000L);
        assertThat(drive.lidarTimeNs(2, 1))
                .isEqualTo(7_000_000_000L + 5 * 50_000_000L - 12_000_000);
    }

    /** Verifies the loop period of a one-frame drive: the file's frame rate, else the drive's. */
    @Test
    void oneFrameDriveLoopsAtTheFrameRate() throws Exception {
        Path file = dir.resolve("timestamps.json");
        String frames = "\"frames\": {\"frame_000000\": {\"camera\": 1000, \"lidar\": 990}}}";
        String oneLine = "\"lines\": [\"camera/frame_000000.png\"], \"frameRateHz\": 20";

        Files.writeString(file, "{" + frames);
        ReplayDrive drive = ReplayPlaylist.load(playlistWith(oneLine)).dataset();
        assertThat(drive.cameraTimeNs(0, 3)).isEqualTo(1000 + 3 * 50_000_000L);

        Files.writeString(file, "{\"frameRateHz\": 25, " + frames);
        drive = ReplayPlaylist.load(playlistWith(oneLine)).dataset();
        assertThat(drive.cameraTimeNs(0, 3)).isEqualTo(1000 + 3 * 40_000_000L);
        assertThat(drive.lidarTimeNs(0, 1)).isEqualTo(990 + 40_000_000L);
    }

    /** Verifies that a split frame without an entry is a config error naming frame and file. */
    @Test
    void missingEntryNamesTheFrameAndFile() throws Exception {
        Path file = dir.resolve("timestamps.json");
        Files.writeString(
                file,
                "{\"frames\": {\"frame_000000\": {\"camera\": 1, \"lidar\": 1},"
                        + " \"frame_000002\": {\"camera\": 3, \"lidar\": 3}}}");

        assertThatThrownBy(() -> ReplayPlaylist.load(playlist("")))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> {
                            assertThat(e.source()).isEqualTo(file.toString());
                            assertThat(e.key()).isEqualTo("frames");
                        })
                .hasMessageContaining("'frame_000001'")
                .hasMessageContaining("camera/frame_000001.png");
    }

    /**
     * Verifies that a time that is not a non-negative int64 integer (float, exponent, string,
     * negative, beyond int64, missing) is a config error naming the frame's key.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.7e18",
                "1700000000000000000.0",
                "\"1700000000000000000\"",
                "-1",
                "9223372036854775808",
                "null"
            })
    void malformedTimeIsAConfigError(String value) throws Exception {
        Path file = dir.resolve("timestamps.json");
        Files.writeString(
                file,
                "{\"frames\": {\"frame_000000\": {\"camera\": 1, \"lidar\": 1},"
                        + " \"frame_000001\": {\"camera\": "
                        + value
                        + ", \"lidar\": 2},"
                        + " \"frame_000002\": {\"camera\": 3, \"lidar\": 3}}}");

        assertThatThrownBy(() -> ReplayPlaylist.load(playlist("")))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> {
                            assertThat(e.source()).isEqualTo(file.toString());
                            assertThat(e.key()).isEqualTo("frames.frame_000001.camera");
                        });
    }

    /** Verifies that the largest int64 time is accepted exactly. */
    @Test
    void int64MaxIsAccepted() throws Exception {
        Files.writeString(
                dir.resolve("timestamps.json"),
                "{\"frames\": {\"frame_000000\": {\"camera\": 9223372036854775807, \"lidar\": 0}}}");

        ReplayDrive drive =
                ReplayPlaylist.load(playlistWith("\"lines\": [\"camera/frame_000000.png\"]"))
                        .dataset();

        assertThat(drive.cameraTimeNs(0, 0)).isEqualTo(Long.MAX_VALUE);
    }

    /** Verifies that a file whose frames are not an object is a config error for the key. */
    @Test
    void framesMustBeAnObject() throws Exception {
        Files.writeString(dir.resolve("timestamps.json"), "{\"frames\": [1, 2, 3]}");

        assertThatThrownBy(() -> ReplayPlaylist.load(playlist("")))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("frames"));
    }

    /** Verifies frame names: the camera file's name without extension. */
    @Test
    void frameNameIsTheCameraFileStem() {
        assertThat(DriveTimestamps.frameName("labeled/day_fair/camera/sq01_000003.png"))
                .isEqualTo("sq01_000003");
        assertThat(DriveTimestamps.frameName("camera/frame_000001.png")).isEqualTo("frame_000001");
        assertThat(DriveTimestamps.frameName("image_2/000007.png")).isEqualTo("000007");
    }

    /** Verifies that a recording folder's timestamps.json is found next to its drive.json. */
    @Test
    void recordingFolderTimestampsAreFound() throws Exception {
        Path rec = dir.resolve("rec");
        Files.createDirectories(rec);
        Files.writeString(
                rec.resolve("drive.json"), "{\"layout\": \"zod\", \"lines\": " + LINES + "}");
        Files.writeString(rec.resolve("timestamps.json"), threeFrames(42));
        Path p = dir.resolve("rec-playlist.json");
        Files.writeString(p, "{\"recording\": \"" + rec + "\"}");

        ReplayDrive drive = ReplayPlaylist.load(p).dataset();

        assertThat(drive.cameraTimeNs(2, 0)).isEqualTo(42 + 250);
    }

    /**
     * Three frames at {@code t0}, {@code t0 + 100}, {@code t0 + 250}, scans 10 ns earlier, plus an
     * entry the split does not name.
     */
    private static String threeFrames(long t0) {
        return "{\"cameraId\": \"front\", \"lidarId\": \"top\", \"frames\": {"
                + String.format("\"frame_000000\": {\"camera\": %d, \"lidar\": %d}, ", t0, t0 - 10)
                + String.format(
                        "\"frame_000001\": {\"camera\": %d, \"lidar\": %d}, ", t0 + 100, t0 + 90)
                + String.format(
                        "\"frame_000002\": {\"camera\": %d, \"lidar\": %d}, ", t0 + 250, t0 + 240)
                + "\"frame_000099\": {\"camera\": 1, \"lidar\": 1}}}";
    }

    /** A playlist for the three-line drive at {@code dir}, with {@code extra} dataset keys. */
    private Path playlist(String extra) throws IOException {
        return playlistWith("\"lines\": " + LINES + extra);
    }

    private Path playlistWith(String datasetKeys) throws IOException {
        Path p = dir.resolve("playlist.json");
        Files.writeString(
                p,
                "{\"dataset\": {\"root\": \""
                        + dir
                        + "\", \"layout\": \"zod\", "
                        + datasetKeys
                        + "}}");
        return p;
    }
}

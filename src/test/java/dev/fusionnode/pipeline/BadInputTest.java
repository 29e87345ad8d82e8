package dev.fusionnode.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.TestData;
import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.io.DatasetReader;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.JsonCalibration;
import dev.fusionnode.io.KittiCalibration;
import dev.fusionnode.io.KittiScanReader;
import dev.fusionnode.io.LidarPickle;
import dev.fusionnode.io.PointSanitizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Verifies that each kind of bad input gives a clear error naming the file, the problem and a
 * reason tag.
 */
class BadInputTest {
    @TempDir Path dir;

    /** Verifies that a KITTI scan cut mid-record is rejected as truncated, naming the file. */
    @Test
    void truncatedScan() throws Exception {
        byte[] real = Files.readAllBytes(TestData.kitti().resolve("velodyne/000000.bin"));
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(real, real.length - 7));

        assertThatThrownBy(() -> KittiScanReader.read(cut))
                .isInstanceOfSatisfying(
                        BadInputException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(BadInputReason.TRUNCATED_SCAN);
                            assertThat(e.getMessage())
                                    .contains(cut.toString())
                                    .contains("not a multiple of 16")
                                    .contains("9 bytes");
                        });
    }

    /** Verifies that half a PNG, random bytes and an empty file are rejected as corrupt images. */
    @Test
    void corruptPng() throws Exception {
        byte[] real = Files.readAllBytes(TestData.kitti().resolve("image_2/000000.png"));
        Path half = dir.resolve("half.png");
        Files.write(half, Arrays.copyOf(real, real.length / 2));
        Path noise = dir.resolve("noise.png");
        byte[] junk = new byte[5000];
        new Random(1).nextBytes(junk);
        Files.write(noise, junk);
        Path empty = dir.resolve("empty.png");
        Files.write(empty, new byte[0]);

        for (Path p : new Path[] {half, noise, empty}) {
            assertThatThrownBy(() -> ImageCodec.read(p, ImageCodec.Channels.RGB))
                    .isInstanceOfSatisfying(
                            BadInputException.class,
                            e -> {
                                assertThat(e.reason()).isEqualTo(BadInputReason.CORRUPT_IMAGE);
                                assertThat(e.getMessage())
                                        .startsWith(p.toString())
                                        .contains("corrupt image");
                            });
        }
    }

    /**
     * Verifies that calibration files with a missing key, a non-number or a bad shape are rejected
     * with the key.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "P0: 1 0 0 0 0 1 0 0 0 0 1 0|missing key 'P2'",
                "P2: 700 0 600 0 0 700 180 0 0 0 1 0\\nR0_rect: 1 0 0 0 1 0 0 0 1\\nTr_velo_to_cam: 0 -1 0 0 0 0 -1 x 1 0 0 0|'x' is not a number",
                "P2: 700 0 600 0 0 700 180 0 0 0 1\\nR0_rect: 1 0 0 0 1 0 0 0 1\\nTr_velo_to_cam: 0 -1 0 0 0 0 -1 0 1 0 0 0|key 'P2' needs 12 values, found 11",
                "P2: 700 0 600 0 0 700 180 0 0 0 1 0\\nR0_rect: 1 0 0 0 1 0 0 0 NaN\\nTr_velo_to_cam: 0 -1 0 0 0 0 -1 0 1 0 0 0|not finite",
                "this is not a calibration|not 'key: values'"
            })
    void malformedKittiCalibration(String text, String expected) throws Exception {
        Path f = dir.resolve("calib.txt");
        Files.writeString(f, text.replace("\\n", "\n"));

        assertThatThrownBy(() -> KittiCalibration.read(f, 100, 100))
                .isInstanceOfSatisfying(
                        BadInputException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(BadInputReason.MALFORMED_CALIBRATION);
                            assertThat(e.getMessage()).contains(f.toString()).contains(expected);
                        });
    }

    /**
     * Verifies that a JSON calibration with a missing focal length or a bad model names the key.
     */
    @Test
    void malformedJsonCalibration() throws Exception {
        Path f = dir.resolve("calib.json");
        Files.writeString(
                f,
                "{\"image\": {\"width\": 10, \"height\": 10}, \"camera\": {\"fy\": 1, \"cx\": 1, \"cy\": 1}, \"lidarToCamera\": []}");
        assertThatThrownBy(() -> JsonCalibration.read(f))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("camera.fx")
                .hasMessageContaining(f.toString());
        Files.writeString(
                f,
                "{\"image\": {\"width\": 10, \"height\": 10}, \"camera\": {\"model\": \"orthographic\", \"fx\": 1, \"fy\": 1, \"cx\": 1, \"cy\": 1}, \"lidarToCamera\": []}");
        assertThatThrownBy(() -> JsonCalibration.read(f)).hasMessageContaining("camera.model");
        Files.writeString(f, "{not json");
        assertThatThrownBy(() -> JsonCalibration.read(f)).hasMessageContaining("not valid JSON");
    }

    /**
     * Verifies that Python pickles without the expected keys, of the wrong shape or cut short are
     * rejected.
     */
    @ParameterizedTest
    @CsvSource({
        "missing_keys.pkl, missing key '3d_points'",
        "wrong_shape.pkl, must have shape (N, 3), found [4, 2]",
        "not_a_dict.pkl, expected a dict at the top level",
        "truncated.pkl, not a readable pickle"
    })
    void malformedPickle(String file, String expected) {
        Path p = TestData.resource("fixtures/bad/" + file);
        assertThatThrownBy(() -> LidarPickle.read(p, 3848, 2168))
                .isInstanceOfSatisfying(
                        BadInputException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(BadInputReason.MALFORMED_PICKLE);
                            assertThat(e.getMessage()).startsWith(p.toString()).contains(expected);
                        });
    }

    /**
     * Verifies that NaN and infinite points are removed (and counted) while the finite ones stay in
     * order.
     */
    @Test
    void nonFinitePointsAreRemoved() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        PointCloud cloud =
                new PointCloud(
                        new float[] {1, 2, 3, 0.5f, nan, 0, 0, 0, 4, inf, 5, 0, 6, 7, 8, 0.25f});
        PointSanitizer.Result r = PointSanitizer.dropNonFinite(cloud, null);

        assertThat(r.removed()).isEqualTo(2);
        assertThat(r.cloud().size()).isEqualTo(2);
        assertThat(r.cloud().x(0)).isEqualTo(1);
        assertThat(r.cloud().x(1)).isEqualTo(6);
        assertThat(r.cloud().intensity(1)).isEqualTo(0.25f);
    }

    /** Verifies that a split line naming a missing file fails on read with the file and reason. */
    @Test
    void splitLineNamingMissingFile() throws Exception {
        Files.createDirectories(dir.resolve("camera"));
        DatasetFrame frame =
                DatasetLayout.ZOD.resolve(dir, "camera/frame_000404.png", null, 0, "all.txt");
        DatasetReader reader = new DatasetReader(DatasetLayout.ZOD);

        assertThatThrownBy(() -> reader.camera(frame, "front", 0, 0))
                .isInstanceOfSatisfying(
                        BadInputException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(BadInputReason.MISSING_FILE);
                            assertThat(e.getMessage())
                                    .contains("frame_000404.png")
                                    .contains("file not found");
                        });
        assertThatThrownBy(
                        () -> DatasetLayout.ZOD.resolve(dir, "../etc/passwd", null, 3, "all.txt"))
                .isInstanceOfSatisfying(
                        BadInputException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(BadInputReason.MALFORMED_SPLIT);
                            assertThat(e.getMessage()).contains("all.txt").contains("line 4");
                        });
    }
}

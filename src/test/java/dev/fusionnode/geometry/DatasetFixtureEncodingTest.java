package dev.fusionnode.geometry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.TestData;
import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.io.DatasetReader;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.SplitFile;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Verifies the LiDAR encoders against fixtures written by Python (src/test/python/make_fixtures.py,
 * Debian numpy 1.24 + Pillow): reading each pickle and re-encoding reproduces the dataset's
 * lidar_png pixel for pixel.
 */
class DatasetFixtureEncodingTest {
    private final LidarProjector projector = new LidarProjector(0.5);

    /**
     * Verifies that ZOD pickles (protocols 4, 2 and 5) re-encode to their zod-basic lidar_png
     * exactly.
     */
    @Test
    void zodBasicReproducesLidarPngByteForByte() {
        assertLayoutReproduces(TestData.resource("fixtures/zod_dataset"), DatasetLayout.ZOD, 3);
    }

    /**
     * Verifies that Iseauto pickles re-encode to their lidar_png exactly (127-filled, percentile
     * scaled).
     */
    @Test
    void iseautoReproducesLidarPngByteForByte() {
        assertLayoutReproduces(TestData.resource("fixtures/xod_dataset"), DatasetLayout.ISEAUTO, 2);
    }

    /**
     * Verifies that Waymo pickles (other cameras mixed in) re-encode to their min-max lidar_png
     * exactly.
     */
    @Test
    void waymoReproducesLidarPngByteForByte() {
        assertLayoutReproduces(TestData.resource("fixtures/waymo_dataset"), DatasetLayout.WAYMO, 2);
    }

    private void assertLayoutReproduces(Path root, DatasetLayout layout, int expectedFrames) {
        List<String> lines = SplitFile.read(root.resolve("all.txt"));
        assertThat(lines).hasSize(expectedFrames);
        DatasetReader reader = new DatasetReader(layout);
        for (int i = 0; i < lines.size(); i++) {
            DatasetFrame frame = layout.resolve(root, lines.get(i), null, i, "all.txt");
            LidarScan scan = reader.scan(frame, "top", i, 0);
            Image expected =
                    ImageCodec.read(frame.lidarPng().orElseThrow(), ImageCodec.Channels.RGB);

            EncodedLidar actual =
                    layout.defaultEncoding()
                            .encoder()
                            .encode(
                                    projector.project(scan, null),
                                    expected.width(),
                                    expected.height());

            assertThat(actual.pointsLanded()).as(frame.line()).isPositive();
            int mismatches = countMismatches(expected, actual.image());
            assertThat(mismatches).as("mismatching bytes in " + frame.line()).isZero();
        }
    }

    static int countMismatches(Image a, Image b) {
        assertThat(b.width()).isEqualTo(a.width());
        assertThat(b.height()).isEqualTo(a.height());
        assertThat(b.channels()).isEqualTo(a.channels());
        byte[] x = a.copyPixels();
        byte[] y = b.copyPixels();
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) {
                n++;
            }
        }
        return n;
    }
}

package dev.fusionnode.geometry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.TestData;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Image;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Verifies the Java resize against Pillow 9.4's {@code resize(size, BILINEAR)} outputs made by
 * make_fixtures.py.
 */
class PilBilinearResizeTest {

    /**
     * Verifies byte equality with Pillow when shrinking (antialiased), changing aspect, and
     * enlarging.
     */
    @ParameterizedTest
    @CsvSource({
        "zod_dataset/camera/frame_000001.png, pil/camera_384.png",
        "zod_dataset/lidar_png/frame_000001.png, pil/lidar_384.png",
        "zod_dataset/camera/frame_000001.png, pil/camera_480x200.png",
        "zod_dataset/camera/frame_000001.png, pil/camera_2000x900.png"
    })
    void matchesPillowExactly(String source, String reference) {
        Image src =
                ImageCodec.read(TestData.resource("fixtures/" + source), ImageCodec.Channels.RGB);
        Image expected =
                ImageCodec.read(
                        TestData.resource("fixtures/" + reference), ImageCodec.Channels.RGB);

        Image actual = PilBilinearResize.resize(src, expected.width(), expected.height());
        Image fused = PilResampler.resize(src, expected.width(), expected.height());

        assertThat(DatasetFixtureEncodingTest.countMismatches(expected, actual)).isZero();
        assertThat(DatasetFixtureEncodingTest.countMismatches(expected, fused)).isZero();
    }
}

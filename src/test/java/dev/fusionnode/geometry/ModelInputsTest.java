package dev.fusionnode.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fusionnode.pipeline.Image;
import org.junit.jupiter.api.Test;

/** Verifies the CLFT model inputs: CHW layout, /255, RGB normalisation, no LiDAR normalisation. */
class ModelInputsTest {

    /**
     * Verifies that a uniform RGB image becomes (v/255 - mean)/std per channel plane, in CHW order.
     */
    @Test
    void rgbIsNormalisedPerChannelInChwOrder() {
        byte[] px = new byte[20 * 10 * 3];
        for (int i = 0; i < 200; i++) {
            px[i * 3] = (byte) 10;
            px[i * 3 + 1] = (byte) 128;
            px[i * 3 + 2] = (byte) 250;
        }
        float[] t =
                ModelInputs.rgb(
                        new Image(20, 10, 3, px), 384, ModelInputs.ZOD_MEAN, ModelInputs.ZOD_STD);

        int plane = 384 * 384;
        assertThat(t).hasSize(3 * plane);
        assertThat(t[0]).isCloseTo((10 / 255f - 0.325291f) / 0.168061f, within(1e-6f));
        assertThat(t[plane + 1000]).isCloseTo((128 / 255f - 0.325736f) / 0.179542f, within(1e-6f));
        assertThat(t[2 * plane + plane - 1])
                .isCloseTo((250 / 255f - 0.331795f) / 0.204609f, within(1e-6f));
    }

    /** Verifies that the LiDAR image is only scaled to [0, 1]. */
    @Test
    void lidarIsOnlyDividedBy255() {
        byte[] px = new byte[384 * 384 * 3];
        px[0] = (byte) 255;
        px[4] = (byte) 51;
        float[] t = ModelInputs.lidar(new Image(384, 384, 3, px), 384);
        int plane = 384 * 384;
        assertThat(t[0]).isEqualTo(1f);
        assertThat(t[plane + 1]).isEqualTo(0.2f);
        assertThat(t[2 * plane]).isZero();
    }
}

package dev.fusionnode.geometry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.pipeline.Image;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused resampler gives what the plain Pillow-exact resize gives, byte for byte, and model
 * inputs with the same float bits, for shrinking, enlarging, one axis unchanged, and sparse images
 * with empty rows (as CLFT LiDAR images are).
 */
class PilResamplerTest {
    private static Image random(int w, int h, long seed, double emptyRows) {
        Random r = new Random(seed);
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            boolean empty = r.nextDouble() < emptyRows;
            for (int i = 0; i < w * 3; i++) {
                px[y * w * 3 + i] =
                        empty
                                ? 0
                                : (byte) (emptyRows > 0 && r.nextInt(10) > 0 ? 0 : r.nextInt(256));
            }
        }
        return new Image(w, h, 3, px);
    }

    @Test
    void sameBytesAsThePlainResize() {
        int[][] cases = {
            {1363, 768, 384, 384},
            {1224, 370, 384, 384},
            {320, 180, 384, 384},
            {97, 61, 13, 200},
            {384, 500, 384, 384},
            {500, 384, 384, 384},
            {64, 64, 64, 64}
        };
        long seed = 1;
        for (int[] c : cases) {
            for (double empty : new double[] {0, 0.6}) {
                Image src = random(c[0], c[1], seed++, empty);
                Image plain = PilBilinearResize.resize(src, c[2], c[3]);
                Image fused = PilResampler.resize(src, c[2], c[3]);
                assertThat(fused.samePixels(plain))
                        .as("%dx%d -> %dx%d, empty rows %.1f", c[0], c[1], c[2], c[3], empty)
                        .isTrue();
            }
        }
    }

    @Test
    void modelInputsHaveTheSameBitsAsTheReference() {
        Image camera = random(1363, 768, 7, 0);
        Image lidar = random(1363, 768, 8, 0.6);
        float[] mean = ModelInputs.ZOD_MEAN;
        float[] std = ModelInputs.ZOD_STD;
        assertThat(
                        Arrays.equals(
                                ModelInputs.rgb(camera, 384, mean, std),
                                ModelInputs.reference(camera, 384, mean, std)))
                .isTrue();
        assertThat(
                        Arrays.equals(
                                ModelInputs.lidar(lidar, 384),
                                ModelInputs.reference(lidar, 384, null, null)))
                .isTrue();
        // and the float values are not all equal (the comparison can fail)
        float[] a = ModelInputs.lidar(lidar, 384);
        assertThat(a).contains(0f);
        assertThat(
                        new java.util.HashSet<>(
                                        java.util.stream.IntStream.range(0, 1000)
                                                .mapToObj(i -> a[i * 400])
                                                .toList())
                                .size())
                .isGreaterThan(2);
    }
}

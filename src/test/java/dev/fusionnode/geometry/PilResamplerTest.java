package dev.fusionnode.geometry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.pipeline.Image;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    /**
     * Resizes met by the node and its edge cases: cameras of ZOD, KITTI and smaller to the model's
     * input, shrinking one axis while enlarging the other, enlarging both, one axis unchanged, and
     * no change at all.
     */
    static Stream<Arguments> sizes() {
        int[][] sizes = {
            {1363, 768, 384, 384},
            {1224, 370, 384, 384},
            {1242, 375, 384, 384},
            {320, 180, 384, 384},
            {97, 61, 13, 200},
            {50, 40, 160, 160},
            {384, 500, 384, 384},
            {500, 384, 384, 384},
            {384, 300, 384, 384},
            {64, 64, 64, 64}
        };
        return Arrays.stream(sizes).map(c -> Arguments.of(c[0], c[1], c[2], c[3]));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void sameBytesAsThePlainResize(int inW, int inH, int outW, int outH) {
        long seed = inW * 31L + inH;
        for (double empty : new double[] {0, 0.6}) {
            Image src = random(inW, inH, seed++, empty);
            Image plain = PilBilinearResize.resize(src, outW, outH);
            Image fused = PilResampler.resize(src, outW, outH);
            assertThat(fused.samePixels(plain)).as("empty rows %.1f", empty).isTrue();
        }
    }

    /**
     * A LiDAR image as the projection makes one: scattered points (some next to each other, some at
     * the row's ends) in rows of their own, with empty rows and, every so often, a dense row.
     */
    private static Image points(int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            int kind = r.nextInt(10);
            int n = kind == 0 ? 0 : kind == 9 ? w : 1 + r.nextInt(Math.max(1, w / 12));
            for (int i = 0; i < n; i++) {
                int x = i == 0 ? 0 : i == 1 ? w - 1 : r.nextInt(w);
                int run = r.nextInt(3) + 1;
                for (int k = 0; k < run && x + k < w; k++) {
                    int q = (y * w + x + k) * 3;
                    px[q + r.nextInt(3)] = (byte) (1 + r.nextInt(255));
                    if (r.nextBoolean()) {
                        px[q + 2] = (byte) r.nextInt(256);
                    }
                }
            }
        }
        return new Image(w, h, 3, px);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void scatteredPointsGiveTheSameBytesAsThePlainResize(int inW, int inH, int outW, int outH) {
        long seed = inW * 37L + inH;
        for (int t = 0; t < 3; t++) {
            Image src = points(inW, inH, seed++);
            Image plain = PilBilinearResize.resize(src, outW, outH);
            assertThat(PilResampler.resize(src, outW, outH).samePixels(plain))
                    .as("seed %d", seed - 1)
                    .isTrue();
        }
    }

    @Test
    void scatteredPointsMakeTheSameLidarInputAsTheReference() {
        Image lidar = points(1363, 768, 7);
        assertThat(
                        Arrays.equals(
                                ModelInputs.lidar(lidar, 384),
                                ModelInputs.reference(lidar, 384, null, null)))
                .isTrue();
    }

    @Test
    void rowsOfNothingHaveTheSameBitsAsTheReference() {
        // a scan lights the lower part of the image only: output rows that read no point at all
        Image lidar = points(1363, 768, 11);
        byte[] px = lidar.unsafePixels();
        Arrays.fill(px, 0, 300 * 1363 * 3, (byte) 0);
        Arrays.fill(px, 700 * 1363 * 3, px.length, (byte) 0);
        float[] mean = ModelInputs.ZOD_MEAN;
        float[] std = ModelInputs.ZOD_STD;
        float[] normalised = ModelInputs.rgb(lidar, 384, mean, std);
        assertThat(Arrays.equals(normalised, ModelInputs.reference(lidar, 384, mean, std)))
                .isTrue();
        assertThat(normalised[0]).isEqualTo(-mean[0] / std[0]);
        assertThat(
                        Arrays.equals(
                                ModelInputs.lidar(lidar, 384),
                                ModelInputs.reference(lidar, 384, null, null)))
                .isTrue();
        assertThat(PilResampler.resize(lidar, 384, 384))
                .matches(i -> i.samePixels(PilBilinearResize.resize(lidar, 384, 384)));
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
                        new HashSet<>(IntStream.range(0, 1000).mapToObj(i -> a[i * 400]).toList())
                                .size())
                .isGreaterThan(2);
    }

    @Test
    void rowRangesMakeTheWholeImageTogether() {
        Image src = random(1363, 768, 11, 0.6);
        float[][] table = ModelInputs.table(null, null);
        float[] whole = new float[3 * 384 * 384];
        PilResampler.toPlanar(src, 384, 384, table, whole, 0);
        for (int split : new int[] {0, 1, 100, 191, 383, 384}) {
            float[] parts = new float[whole.length];
            Arrays.fill(parts, Float.NaN);
            PilResampler.toPlanar(src, 384, 384, table, parts, 0, split, 384);
            PilResampler.toPlanar(src, 384, 384, table, parts, 0, 0, split);
            assertThat(Arrays.equals(parts, whole)).as("split at %d", split).isTrue();
        }
    }

    @Test
    void aSparseImageSplitsWhereItsRowsAre() {
        // points only in the lower third: half of the work lies below the middle
        byte[] px = new byte[1363 * 768 * 3];
        for (int y = 512; y < 768; y++) {
            for (int x = 0; x < 1363 * 3; x += 7) {
                px[y * 1363 * 3 + x] = (byte) (y + x);
            }
        }
        Image lidar = new Image(1363, 768, 3, px);
        assertThat(PilResampler.cuts(lidar, 384, 2)[1]).isBetween(315, 325);
        int[] quarters = PilResampler.cuts(lidar, 384, 4);
        assertThat(quarters[0]).isZero();
        assertThat(quarters[1]).isBetween(283, 293);
        assertThat(quarters[3]).isBetween(347, 357);
        assertThat(quarters[4]).isEqualTo(384);
        assertThat(PilResampler.cuts(random(1363, 768, 3, 0), 384, 2)[1]).isBetween(188, 196);
    }

    @Test
    void bothInputsOnTwoThreadsHaveTheSameBitsWhoeverMakesThePieces() {
        Image camera = random(1363, 768, 21, 0);
        Image lidar = random(1363, 768, 22, 0.6);
        float[] mean = ModelInputs.ZOD_MEAN;
        float[] std = ModelInputs.ZOD_STD;
        float[] rgb = ModelInputs.rgb(camera, 384, mean, std);
        float[] li = ModelInputs.lidar(lidar, 384);
        Executor[] executors = {
            ModelInputs.helperThread(),
            ForkJoinPool.commonPool(),
            Runnable::run, // takes every piece before this thread starts
            task -> {}, // never runs: this thread makes every piece
            task -> {
                throw new RejectedExecutionException("full");
            }
        };
        for (var executor : executors) {
            var pair = ModelInputs.pair(camera, lidar, 384, mean, std, executor);
            assertThat(Arrays.equals(pair.rgb(), rgb)).isTrue();
            assertThat(Arrays.equals(pair.lidar(), li)).isTrue();
            var cameraOnly = ModelInputs.pair(camera, null, 384, mean, std, executor);
            assertThat(Arrays.equals(cameraOnly.rgb(), rgb)).isTrue();
            assertThat(cameraOnly.lidar()).isNull();
        }
        for (int size : new int[] {1, 3}) { // fewer rows than pieces: some pieces are empty
            var tiny = ModelInputs.pair(camera, lidar, size, mean, std, ModelInputs.helperThread());
            assertThat(Arrays.equals(tiny.rgb(), ModelInputs.rgb(camera, size, mean, std)))
                    .isTrue();
            assertThat(Arrays.equals(tiny.lidar(), ModelInputs.lidar(lidar, size))).isTrue();
        }
    }
}

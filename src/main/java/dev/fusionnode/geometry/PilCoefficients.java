package dev.fusionnode.geometry;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per-output-pixel filter windows and fixed-point weights (Pillow's {@code precompute_coeffs}). */
final class PilCoefficients {
    /** Fixed-point bits of the weights (Pillow: 32 - 8 - 2). */
    static final int PRECISION_BITS = 32 - 8 - 2;

    final int ksize;
    final int[] bounds;
    final int[] k;

    private final int inSize;
    private volatile InputSide inputSide;

    /**
     * The same weights seen from the input side: input pixel {@code i} adds to output pixels {@code
     * targets[j]} with weight {@code weights[j]}, {@code j} in {@code [firstTarget[i],
     * firstTarget[i + 1])} (non-zero weights only).
     */
    record InputSide(int[] firstTarget, int[] targets, int[] weights) {}

    private PilCoefficients(int inSize, int ksize, int[] bounds, int[] k) {
        this.inSize = inSize;
        this.ksize = ksize;
        this.bounds = bounds;
        this.k = k;
    }

    /**
     * The weights seen from the input side, made on first use (only the horizontal pass over sparse
     * points needs them); made twice at worst when two threads ask at once, the same.
     */
    InputSide inputSide() {
        InputSide side = inputSide;
        if (side == null) {
            side = invert();
            inputSide = side;
        }
        return side;
    }

    private InputSide invert() {
        int outSize = bounds.length / 2;
        int[] firstTarget = new int[inSize + 1];
        for (int x = 0; x < outSize; x++) {
            for (int i = 0; i < bounds[x * 2 + 1]; i++) {
                if (k[x * ksize + i] != 0) {
                    firstTarget[bounds[x * 2] + i + 1]++;
                }
            }
        }
        for (int i = 0; i < inSize; i++) {
            firstTarget[i + 1] += firstTarget[i];
        }
        int[] targets = new int[firstTarget[inSize]];
        int[] weights = new int[targets.length];
        int[] next = Arrays.copyOf(firstTarget, inSize);
        for (int x = 0; x < outSize; x++) {
            for (int i = 0; i < bounds[x * 2 + 1]; i++) {
                int w = k[x * ksize + i];
                if (w != 0) {
                    int j = next[bounds[x * 2] + i]++;
                    targets[j] = x;
                    weights[j] = w;
                }
            }
        }
        return new InputSide(firstTarget, targets, weights);
    }

    private static final Map<Long, PilCoefficients> CACHE = new ConcurrentHashMap<>();

    /** The weights of a size pair, computed once (at most 64 pairs kept). */
    static PilCoefficients cached(int inSize, int outSize) {
        long key = ((long) inSize << 32) | outSize;
        PilCoefficients c = CACHE.get(key);
        if (c == null) {
            c = of(inSize, outSize);
            if (CACHE.size() >= 64) {
                CACHE.clear();
            }
            CACHE.put(key, c);
        }
        return c;
    }

    static PilCoefficients of(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 1.0 * filterScale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSize * 2];
        int[] k = new int[outSize * ksize];
        double[] w = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            double ww = 0;
            for (int x = 0; x < xmax; x++) {
                w[x] = triangle((x + xmin - center + 0.5) * ss);
                ww += w[x];
            }
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0.0 ? w[x] / ww : w[x];
                k[xx * ksize + x] =
                        (int)
                                (v < 0
                                        ? -0.5 + v * (1 << PRECISION_BITS)
                                        : 0.5 + v * (1 << PRECISION_BITS));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
            requireEightBitRange(k, xx * ksize, xmax);
        }
        return new PilCoefficients(inSize, ksize, bounds, k);
    }

    /**
     * The triangle filter's weights are never negative and sum to one within rounding, so a
     * weighted sum of 8-bit values shifts back into 0..255 without clipping; the resampler relies
     * on it.
     */
    private static void requireEightBitRange(int[] k, int from, int len) {
        long sum = 0;
        for (int i = from; i < from + len; i++) {
            if (k[i] < 0) {
                throw new IllegalStateException("negative resize weight " + k[i]);
            }
            sum += k[i];
        }
        // (half + 255 * sum) >> PRECISION_BITS <= 255
        if ((1L << (PRECISION_BITS - 1)) + 255 * sum >= 256L << PRECISION_BITS) {
            throw new IllegalStateException("resize weights sum to " + sum + ", over one");
        }
    }

    private static double triangle(double x) {
        if (x < 0) {
            x = -x;
        }
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}

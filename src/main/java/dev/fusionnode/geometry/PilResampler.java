package dev.fusionnode.geometry;

import dev.fusionnode.pipeline.Image;

/**
 * Pillow's {@code resize(size, BILINEAR)} of an 8-bit image (the same fixed-point arithmetic as
 * {@link PilBilinearResize}, byte for byte) fused with what the model input needs next: each output
 * value goes straight through a 256-entry table into a planar float tensor, with no intermediate
 * image. The weights of a size pair are computed once; the horizontal pass reads the image's own
 * array and skips rows that are all zero (a CLFT LiDAR image is mostly empty), the vertical pass
 * runs over whole rows (vectorised by the JIT). Scratch buffers are kept per thread.
 */
public final class PilResampler {
    private static final int PRECISION_BITS = PilCoefficients.PRECISION_BITS;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    /**
     * Per-thread scratch: the horizontal pass's 8-bit rows, their zero flags, one accumulator row.
     */
    private static final class Scratch {
        byte[] mid = new byte[0];
        boolean[] zero = new boolean[0];
        int[] acc = new int[0];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private PilResampler() {}

    /**
     * Resizes a 3-channel image to {@code width x height} and writes channel {@code c} of output
     * pixel {@code i} as {@code table[c][value]} to {@code out[offset + c * width * height + i]}.
     */
    public static void toPlanar(
            Image src, int width, int height, float[][] table, float[] out, int offset) {
        if (src.channels() != 3) {
            throw new IllegalArgumentException("expected a 3-channel image, got " + src);
        }
        Scratch s = SCRATCH.get();
        int stride = width * 3;
        horizontal(src, width, s);
        int plane = width * height;
        float[] t0 = table[0];
        float[] t1 = table[1];
        float[] t2 = table[2];
        vertical(
                src.height(),
                stride,
                height,
                s,
                (y, acc) -> {
                    int o = offset + y * width;
                    for (int x = 0, a = 0; x < width; x++, a += 3) {
                        out[o + x] = t0[clip8(acc[a])];
                        out[o + plane + x] = t1[clip8(acc[a + 1])];
                        out[o + 2 * plane + x] = t2[clip8(acc[a + 2])];
                    }
                });
    }

    /** The resized 8-bit image itself (interleaved, as {@link PilBilinearResize} gives it). */
    public static Image resize(Image src, int width, int height) {
        if (src.channels() != 3) {
            return PilBilinearResize.resize(src, width, height);
        }
        Scratch s = SCRATCH.get();
        int stride = width * 3;
        horizontal(src, width, s);
        byte[] out = new byte[stride * height];
        vertical(
                src.height(),
                stride,
                height,
                s,
                (y, acc) -> {
                    int o = y * stride;
                    for (int x = 0; x < stride; x++) {
                        out[o + x] = (byte) clip8(acc[x]);
                    }
                });
        return new Image(width, height, 3, out);
    }

    /** Receives one output row's accumulators (fixed point, not yet shifted). */
    @FunctionalInterface
    private interface RowSink {
        void row(int y, int[] acc);
    }

    /** Horizontal pass into {@code s.mid} ({@code width * 3} bytes per input row). */
    private static void horizontal(Image src, int width, Scratch s) {
        byte[] in = src.unsafePixels();
        int inW = src.width();
        int inH = src.height();
        int stride = width * 3;
        if (s.mid.length < stride * inH) {
            s.mid = new byte[stride * inH];
        }
        if (s.zero.length < inH) {
            s.zero = new boolean[inH];
        }
        byte[] mid = s.mid;
        if (width == inW) {
            // Pillow skips the pass when the width does not change
            System.arraycopy(in, 0, mid, 0, stride * inH);
            for (int y = 0; y < inH; y++) {
                s.zero[y] = allZero(in, y * stride, stride);
            }
            return;
        }
        PilCoefficients kx = PilCoefficients.cached(inW, width);
        int[] bounds = kx.bounds;
        int[] k = kx.k;
        int ksize = kx.ksize;
        int inStride = inW * 3;
        for (int y = 0; y < inH; y++) {
            s.zero[y] = allZero(in, y * inStride, inStride);
            row(in, y * inStride, mid, y * stride, width, bounds, k, ksize, s.zero[y]);
        }
    }

    /** One row of the horizontal pass (all zero in: all zero out). */
    private static void row(
            byte[] in,
            int rowIn,
            byte[] mid,
            int rowOut,
            int width,
            int[] bounds,
            int[] k,
            int ksize,
            boolean zero) {
        if (zero) {
            java.util.Arrays.fill(mid, rowOut, rowOut + width * 3, (byte) 0);
            return;
        }
        for (int x = 0; x < width; x++) {
            int min = bounds[x * 2];
            int len = bounds[x * 2 + 1];
            int kOff = x * ksize;
            int s0 = HALF;
            int s1 = HALF;
            int s2 = HALF;
            int p = rowIn + min * 3;
            for (int i = 0; i < len; i++, p += 3) {
                int w = k[kOff + i];
                s0 += (in[p] & 0xFF) * w;
                s1 += (in[p + 1] & 0xFF) * w;
                s2 += (in[p + 2] & 0xFF) * w;
            }
            int o = rowOut + x * 3;
            mid[o] = (byte) clip8(s0);
            mid[o + 1] = (byte) clip8(s1);
            mid[o + 2] = (byte) clip8(s2);
        }
    }

    /** Vertical pass over {@code s.mid}, one accumulator row per output row. */
    private static void vertical(int inH, int stride, int height, Scratch s, RowSink sink) {
        if (s.acc.length < stride) {
            s.acc = new int[stride];
        }
        int[] acc = s.acc;
        byte[] mid = s.mid;
        if (height == inH) {
            // no vertical pass: the rows as they are (HALF + v << bits shifts back to v)
            for (int y = 0; y < height; y++) {
                int row = y * stride;
                for (int x = 0; x < stride; x++) {
                    acc[x] = (mid[row + x] & 0xFF) << PRECISION_BITS;
                }
                sink.row(y, acc);
            }
            return;
        }
        PilCoefficients ky = PilCoefficients.cached(inH, height);
        int[] bounds = ky.bounds;
        int[] k = ky.k;
        int ksize = ky.ksize;
        for (int y = 0; y < height; y++) {
            int min = bounds[y * 2];
            int len = bounds[y * 2 + 1];
            int kOff = y * ksize;
            java.util.Arrays.fill(acc, 0, stride, HALF);
            for (int i = 0; i < len; i++) {
                if (s.zero[min + i]) {
                    continue;
                }
                int w = k[kOff + i];
                int row = (min + i) * stride;
                for (int x = 0; x < stride; x++) {
                    acc[x] += (mid[row + x] & 0xFF) * w;
                }
            }
            sink.row(y, acc);
        }
    }

    private static boolean allZero(byte[] b, int from, int len) {
        for (int i = from, end = from + len; i < end; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return v < 0 ? 0 : (v > 255 ? 255 : v);
    }
}

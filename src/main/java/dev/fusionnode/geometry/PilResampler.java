package dev.fusionnode.geometry;

import dev.fusionnode.pipeline.Image;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Pillow's {@code resize(size, BILINEAR)} of an 8-bit RGB image (the same fixed-point arithmetic as
 * {@link PilBilinearResize}, byte for byte) fused with what the model input needs next: each output
 * value goes straight through a 256-entry table into a planar float tensor, with no intermediate
 * image.
 *
 * <p>Laid out so that the JIT vectorises both passes. A pixel is one {@code int} ({@code R | G << 8
 * | B << 16}); every inner loop reads and writes its arrays at the same index, which is the form
 * HotSpot's auto-vectoriser accepts (it does not widen bytes, and gives up when two {@code int[]}
 * are indexed with different offsets). The horizontal pass works on tiles of input rows turned on
 * their side (one array per input column, one lane per row), so a filter tap is one vector
 * multiply-add over the tile's rows; the vertical pass multiplies whole rows. Rows that are all
 * zero are skipped, and rows with few non-zero pixels (the projected points of a CLFT LiDAR image)
 * are filtered point by point: each point adds to the two or three output pixels that read it.
 * Weights are computed once per size pair; scratch buffers are kept per thread.
 */
public final class PilResampler {
    private static final int PRECISION_BITS = PilCoefficients.PRECISION_BITS;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    /** A row with at most one pixel in this many not zero is filtered point by point. */
    private static final int SPARSE_FRACTION = 8;

    /** Leading 8-byte words that, all set, mark a row dense without counting its pixels. */
    private static final int DENSE_PROBE = 16;

    private static final byte[] ZEROS = new byte[1 << 14];

    /** Bytes looked at word by word before a zero stretch is left to {@link Arrays#mismatch}. */
    private static final int SHORT_GAP = 64;

    /** Input rows per tile of the horizontal pass (a tile's columns stay in the L2 cache). */
    private static final int TILE = 128;

    /** Reads 4 bytes at a byte offset as a little-endian int: R, G, B of a pixel and one more. */
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Reads 8 bytes at a byte offset as a little-endian long (to find empty rows). */
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Per-thread scratch: a tile on its side, the horizontal pass's rows, accumulators. */
    private static final class Scratch {
        int[][] columns = new int[0][];
        int[] rowStart = new int[TILE];
        int[][] mid = new int[0][];
        boolean[] zero = new boolean[0];
        boolean[] sparse = new boolean[0];
        int[] points = new int[0];
        int[] r = new int[0];
        int[] g = new int[0];
        int[] b = new int[0];

        void size(int inW, int inH, int midW) {
            if (columns.length < inW) {
                columns = new int[inW][TILE];
            }
            int midRow = mid.length == 0 ? 0 : mid[0].length;
            if (mid.length < inH || midRow < midW) {
                // each dimension only grows: images of other shapes do not make it reallocate
                mid = new int[Math.max(inH, mid.length)][Math.max(midW, midRow)];
            }
            if (zero.length < inH) {
                zero = new boolean[inH];
                sparse = new boolean[inH];
            }
            if (points.length < inW / SPARSE_FRACTION + 1) {
                points = new int[inW / SPARSE_FRACTION + 1];
            }
            int acc = Math.max(TILE, midW);
            if (r.length < acc) {
                r = new int[acc];
                g = new int[acc];
                b = new int[acc];
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private PilResampler() {}

    /**
     * Resizes a 3-channel image to {@code width x height} and writes channel {@code c} of output
     * pixel {@code i} as {@code table[c][value]} to {@code out[offset + c * width * height + i]}.
     */
    public static void toPlanar(
            Image src, int width, int height, float[][] table, float[] out, int offset) {
        toPlanar(src, width, height, table, out, offset, 0, height);
    }

    /**
     * {@link #toPlanar(Image, int, int, float[][], float[], int)} for output rows {@code [fromRow,
     * toRow)} only: the input rows they read are all it touches, so two threads can share an image.
     */
    public static void toPlanar(
            Image src,
            int width,
            int height,
            float[][] table,
            float[] out,
            int offset,
            int fromRow,
            int toRow) {
        requireRgb(src);
        if (fromRow >= toRow) {
            return;
        }
        Scratch s = SCRATCH.get();
        horizontal(src, width, height, fromRow, toRow, s);
        int plane = width * height;
        float[] t0 = table[0];
        float[] t1 = table[1];
        float[] t2 = table[2];
        vertical(
                src.height(),
                width,
                height,
                fromRow,
                toRow,
                s,
                (y, r, g, b, empty) -> {
                    int o = offset + y * width;
                    if (empty) {
                        // every value is 0: one filled run per channel instead of lookups
                        Arrays.fill(out, o, o + width, t0[0]);
                        Arrays.fill(out, o + plane, o + plane + width, t1[0]);
                        Arrays.fill(out, o + 2 * plane, o + 2 * plane + width, t2[0]);
                        return;
                    }
                    for (int x = 0; x < width; x++) {
                        out[o + x] = t0[r[x] >> PRECISION_BITS];
                    }
                    o += plane;
                    for (int x = 0; x < width; x++) {
                        out[o + x] = t1[g[x] >> PRECISION_BITS];
                    }
                    o += plane;
                    for (int x = 0; x < width; x++) {
                        out[o + x] = t2[b[x] >> PRECISION_BITS];
                    }
                });
    }

    /**
     * Output rows that cut resizing {@code src} to {@code height} rows into {@code parts} pieces of
     * about equal work: {@code cuts[i]..cuts[i + 1]} is piece {@code i}. Input rows that are all
     * zero cost almost nothing, so a sparse LiDAR image is cut where its points are, not evenly.
     */
    public static int[] cuts(Image src, int height, int parts) {
        byte[] in = src.unsafePixels();
        int inH = src.height();
        int stride = src.width() * src.channels();
        int[] busyBefore = new int[inH + 1];
        for (int y = 0; y < inH; y++) {
            // every fourth row tells how the work is spread, at a quarter of the cost
            boolean busy = y % 4 == 0 && !allZero(in, y * stride, stride);
            busyBefore[y + 1] = busyBefore[y] + (busy ? 1 : 0);
        }
        int[] bounds = height == inH ? null : PilCoefficients.cached(inH, height).bounds;
        int[] cuts = new int[parts + 1];
        cuts[parts] = height;
        int y = 0;
        for (int p = 1; p < parts; p++) {
            long share = (long) busyBefore[inH] * p / parts;
            while (y < height && busyBefore[lastRead(bounds, y)] < share) {
                y++;
            }
            cuts[p] = y;
        }
        return cuts;
    }

    private static int lastRead(int[] bounds, int y) {
        return bounds == null ? y + 1 : bounds[y * 2] + bounds[y * 2 + 1];
    }

    /** The resized 8-bit image itself (interleaved, as {@link PilBilinearResize} gives it). */
    public static Image resize(Image src, int width, int height) {
        if (src.channels() != 3) {
            return PilBilinearResize.resize(src, width, height);
        }
        Scratch s = SCRATCH.get();
        horizontal(src, width, height, 0, height, s);
        int stride = width * 3;
        byte[] out = new byte[stride * height];
        vertical(
                src.height(),
                width,
                height,
                0,
                height,
                s,
                (y, r, g, b, empty) -> {
                    if (empty) {
                        return; // a new array is zero already
                    }
                    for (int x = 0, o = y * stride; x < width; x++, o += 3) {
                        out[o] = (byte) (r[x] >> PRECISION_BITS);
                        out[o + 1] = (byte) (g[x] >> PRECISION_BITS);
                        out[o + 2] = (byte) (b[x] >> PRECISION_BITS);
                    }
                });
        return new Image(width, height, 3, out);
    }

    private static void requireRgb(Image src) {
        if (src.channels() != 3) {
            throw new IllegalArgumentException("expected a 3-channel image, got " + src);
        }
    }

    /**
     * Receives one output row's accumulators per channel (fixed point, not yet shifted); {@code
     * empty} when no input row it reads holds a non-zero pixel, so every value is 0.
     */
    @FunctionalInterface
    private interface RowSink {
        void row(int y, int[] r, int[] g, int[] b, boolean empty);
    }

    /**
     * Horizontal pass into {@code s.mid} (one packed pixel per output column, one array per input
     * row) of the input rows that output rows {@code [fromRow, toRow)} read, with {@code s.zero}
     * marking input rows that are all zero.
     */
    private static void horizontal(
            Image src, int width, int height, int fromRow, int toRow, Scratch s) {
        byte[] in = src.unsafePixels();
        int inW = src.width();
        int inH = src.height();
        s.size(inW, inH, width);
        int first = fromRow;
        int end = toRow;
        if (height != inH) {
            int[] bounds = PilCoefficients.cached(inH, height).bounds;
            first = bounds[fromRow * 2];
            end = bounds[(toRow - 1) * 2] + bounds[(toRow - 1) * 2 + 1];
        }
        int rowBytes = inW * 3;
        // a row with at most this many non-zero pixels is filtered point by point
        int sparsePixels = width == inW ? 0 : inW / SPARSE_FRACTION;
        PilCoefficients kx = width == inW ? null : PilCoefficients.cached(inW, width);
        for (int y = first; y < end; y++) {
            int pixels = nonZeroPixels(in, y * rowBytes, rowBytes, sparsePixels + 1, s.points);
            s.zero[y] = pixels == 0;
            s.sparse[y] = pixels > 0 && pixels <= sparsePixels;
            if (s.sparse[y]) {
                // filtered from the pixels just found: the row is read once
                filterPoints(in, y * rowBytes, s.points, pixels, kx, width, s, s.mid[y]);
            }
        }
        if (width == inW) {
            // Pillow skips the pass when the width does not change
            for (int y = first; y < end; y++) {
                if (!s.zero[y]) {
                    packRow(in, y, inW, s.mid[y]);
                }
            }
            return;
        }
        for (int y0 = first; y0 < end; y0 += TILE) {
            int rows = Math.min(TILE, end - y0);
            int lo = 0;
            while (lo < rows && (s.zero[y0 + lo] || s.sparse[y0 + lo])) {
                lo++;
            }
            int hi = rows;
            while (hi > lo && (s.zero[y0 + hi - 1] || s.sparse[y0 + hi - 1])) {
                hi--;
            }
            if (lo < hi) {
                transposeTile(in, inW, y0, lo, hi, s.rowStart, s.columns);
                filterTile(kx, width, y0, lo, hi, s);
            }
        }
    }

    /**
     * The horizontal filter of one sparse row, from its non-zero pixels ({@code points[0..n)}, in
     * order): each adds its weighted channels to the few output pixels whose windows hold it. The
     * same integer sums as {@link #filterTile} in another order, so the same bytes.
     */
    private static void filterPoints(
            byte[] in,
            int from,
            int[] points,
            int n,
            PilCoefficients kx,
            int width,
            Scratch s,
            int[] out) {
        int[] ar = s.r;
        int[] ag = s.g;
        int[] ab = s.b;
        startSums(ar, ag, ab, 0, width);
        PilCoefficients.InputSide side = kx.inputSide();
        int[] firstTarget = side.firstTarget();
        int[] targets = side.targets();
        int[] weights = side.weights();
        for (int i = 0; i < n; i++) {
            int p = points[i];
            int q = from + p * 3;
            int r = in[q] & 0xFF;
            int g = in[q + 1] & 0xFF;
            int b = in[q + 2] & 0xFF;
            for (int j = firstTarget[p]; j < firstTarget[p + 1]; j++) {
                int x = targets[j];
                int w = weights[j];
                ar[x] += r * w;
                ag[x] += g * w;
                ab[x] += b * w;
            }
        }
        for (int x = 0; x < width; x++) {
            out[x] = packed(ar[x], ag[x], ab[x]);
        }
    }

    /** Packs input row {@code y} into {@code out}, one int per pixel. */
    private static void packRow(byte[] in, int y, int inW, int[] out) {
        int q = y * inW * 3;
        int last = inW - 1;
        for (int p = 0; p < last; p++, q += 3) {
            out[p] = (int) INT_LE.get(in, q);
        }
        out[last] = pixel(in, q);
    }

    /** Rows {@code lo..hi-1} of the tile at {@code y0} into {@code columns[p][row]}. */
    private static void transposeTile(
            byte[] in, int inW, int y0, int lo, int hi, int[] rowStart, int[][] columns) {
        for (int r = lo; r < hi; r++) {
            rowStart[r] = (y0 + r) * inW * 3;
        }
        int last = inW - 1;
        for (int p = 0, o = 0; p < last; p++, o += 3) {
            int[] column = columns[p];
            for (int r = lo; r < hi; r++) {
                column[r] = (int) INT_LE.get(in, rowStart[r] + o);
            }
        }
        // the 4-byte read of the last pixel could pass the end of the array
        int[] column = columns[last];
        for (int r = lo; r < hi; r++) {
            column[r] = pixel(in, rowStart[r] + last * 3);
        }
    }

    /** The horizontal filter over the tile's rows {@code lo..hi-1}, one output column at a time. */
    private static void filterTile(
            PilCoefficients kx, int width, int y0, int lo, int hi, Scratch s) {
        int[] bounds = kx.bounds;
        int[] k = kx.k;
        int ksize = kx.ksize;
        int[][] columns = s.columns;
        int[][] mid = s.mid;
        int[] ar = s.r;
        int[] ag = s.g;
        int[] ab = s.b;
        for (int x = 0; x < width; x++) {
            int min = bounds[x * 2];
            int len = bounds[x * 2 + 1];
            int kOff = x * ksize;
            startSums(ar, ag, ab, lo, hi);
            for (int i = 0; i < len; i++) {
                int w = k[kOff + i];
                if (w != 0) {
                    multiplyAdd(columns[min + i], w, lo, hi, ar, ag, ab);
                }
            }
            // in 0..255 without clipping (PilCoefficients checks its weights for that)
            for (int j = lo; j < hi; j++) {
                ar[j] = packed(ar[j], ag[j], ab[j]);
            }
            for (int j = lo; j < hi; j++) {
                mid[y0 + j][x] = ar[j];
            }
        }
    }

    /** Sets the sums of {@code [from, to)} to their rounding offset, before any tap is added. */
    private static void startSums(int[] r, int[] g, int[] b, int from, int to) {
        Arrays.fill(r, from, to, HALF);
        Arrays.fill(g, from, to, HALF);
        Arrays.fill(b, from, to, HALF);
    }

    /** One pixel packed from its channels' fixed-point sums (each in 0..255 once shifted). */
    private static int packed(int r, int g, int b) {
        return r >> PRECISION_BITS | (g >> PRECISION_BITS) << 8 | (b >> PRECISION_BITS) << 16;
    }

    /** {@code r, g, b[j] += channel of px[j] * w} for {@code j} in {@code [from, to)}. */
    private static void multiplyAdd(int[] px, int w, int from, int to, int[] r, int[] g, int[] b) {
        for (int j = from; j < to; j++) {
            int v = px[j];
            r[j] += (v & 0xFF) * w;
            g[j] += (v >>> 8 & 0xFF) * w;
            b[j] += (v >>> 16 & 0xFF) * w;
        }
    }

    /** Vertical pass over {@code s.mid}, one set of accumulators per output row. */
    private static void vertical(
            int inH, int width, int height, int fromRow, int toRow, Scratch s, RowSink sink) {
        int[][] mid = s.mid;
        int[] ar = s.r;
        int[] ag = s.g;
        int[] ab = s.b;
        if (height == inH) {
            // no vertical pass: the rows as they are (HALF + v << bits shifts back to v)
            for (int y = fromRow; y < toRow; y++) {
                startSums(ar, ag, ab, 0, width);
                if (!s.zero[y]) {
                    multiplyAdd(mid[y], 1 << PRECISION_BITS, 0, width, ar, ag, ab);
                }
                sink.row(y, ar, ag, ab, s.zero[y]);
            }
            return;
        }
        PilCoefficients ky = PilCoefficients.cached(inH, height);
        int[] bounds = ky.bounds;
        int[] k = ky.k;
        int ksize = ky.ksize;
        for (int y = fromRow; y < toRow; y++) {
            int min = bounds[y * 2];
            int len = bounds[y * 2 + 1];
            int kOff = y * ksize;
            boolean empty = true;
            for (int i = 0; i < len; i++) {
                int w = k[kOff + i];
                if (w != 0 && !s.zero[min + i]) {
                    if (empty) {
                        startSums(ar, ag, ab, 0, width);
                        empty = false;
                    }
                    multiplyAdd(mid[min + i], w, 0, width, ar, ag, ab);
                }
            }
            sink.row(y, ar, ag, ab, empty);
        }
    }

    private static int pixel(byte[] in, int q) {
        return (in[q] & 0xFF) | (in[q + 1] & 0xFF) << 8 | (in[q + 2] & 0xFF) << 16;
    }

    /** Whether a row is all zero. */
    private static boolean allZero(byte[] b, int from, int len) {
        return nextNonZero(b, from, from + len) < 0;
    }

    /**
     * How many of a row's pixels are not zero, counting up to {@code limit}, with the first of them
     * (as pixel indices in the row) in {@code points}, which holds at least {@code limit}: a row
     * whose first words are all set counts as dense at once (a camera row), any other is counted by
     * skipping its zero stretches.
     */
    private static int nonZeroPixels(byte[] b, int from, int len, int limit, int[] points) {
        int end = from + len;
        if (len >= DENSE_PROBE * 8) {
            int set = 0;
            for (int i = 0; i < DENSE_PROBE; i++) {
                set += (long) LONG_LE.get(b, from + i * 8) != 0 ? 1 : 0;
            }
            if (set == DENSE_PROBE) {
                return limit;
            }
        }
        int n = 0;
        for (int q = nextNonZero(b, from, end); q >= 0 && n < limit; n++) {
            int p = (q - from) / 3;
            points[n] = p;
            q = nextNonZero(b, from + (p + 1) * 3, end);
        }
        return n;
    }

    /**
     * The first byte in {@code [from, end)} that is not zero, or -1: a few 8-byte words one at a
     * time (the points of a scan lie a few pixels apart), then the JDK's vectorised mismatch
     * against zeros for a longer empty stretch.
     */
    private static int nextNonZero(byte[] b, int from, int end) {
        int at = from;
        for (int stop = Math.min(end - 8, from + SHORT_GAP); at <= stop; at += 8) {
            long word = (long) LONG_LE.get(b, at);
            if (word != 0) {
                return at + Long.numberOfTrailingZeros(word) / 8;
            }
        }
        for (; at < end; at += ZEROS.length) {
            int len = Math.min(ZEROS.length, end - at);
            int m = Arrays.mismatch(b, at, at + len, ZEROS, 0, len);
            if (m >= 0) {
                return at + m;
            }
        }
        return -1;
    }
}

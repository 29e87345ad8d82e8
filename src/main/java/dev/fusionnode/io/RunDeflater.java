package dev.fusionnode.io;

import java.util.Arrays;

/**
 * The zlib stream of a 1-channel 8-bit image's unfiltered PNG scanlines, written as runs: each row
 * is either a copy of the row above (matches at the distance of one scanline) or its runs of equal
 * bytes (a literal, then matches at distance 1), in one deflate block of the fixed Huffman codes
 * (RFC 1951, 3.2.6). A mask of class ids is almost nothing but runs and repeated rows, so this is
 * one vectorised pass over the pixels ({@link Arrays#mismatch}, {@link Arrays#equals}) where zlib
 * searches hash chains for every byte, and the Adler-32 is summed per run in closed form. The
 * stream is larger than zlib's (no dynamic Huffman codes), so a map with short runs, such as a
 * confidence map, soon outgrows the budget and the caller deflates it with zlib instead.
 */
final class RunDeflater {
    private static final int ADLER_MOD = 65521;
    private static final int MIN_MATCH = 3;
    private static final int MAX_MATCH = 258;
    private static final int WINDOW = 32768;
    private static final int END_OF_BLOCK = 256;

    /** Rows before the projected size is checked against the budget. */
    private static final int ROWS_BEFORE_PROJECTING = 16;

    private static final int[] LENGTH_BASE = {
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258
    };
    private static final int[] LENGTH_EXTRA = {
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
    };
    private static final int[] DISTANCE_BASE = {
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
        2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577
    };
    private static final int[] DISTANCE_EXTRA = {
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
        13, 13
    };
    private static final long DISTANCE_ONE = distance(1);

    /** Fixed-code bits of each literal and of end-of-block, in stream order, and their counts. */
    private static final int[] SYMBOL_BITS = new int[257];

    private static final int[] SYMBOL_COUNT = new int[257];

    /** Fixed-code bits of each match length (code, then extra bits), and their counts. */
    private static final int[] LENGTH_BITS = new int[MAX_MATCH + 1];

    private static final int[] LENGTH_COUNT = new int[MAX_MATCH + 1];

    static {
        for (int s = 0; s <= 256; s++) {
            SYMBOL_COUNT[s] = fixedLength(s);
            SYMBOL_BITS[s] = reverse(fixedCode(s), SYMBOL_COUNT[s]);
        }
        for (int len = MIN_MATCH; len <= MAX_MATCH; len++) {
            int i = LENGTH_BASE.length - 1;
            while (LENGTH_BASE[i] > len) {
                i--;
            }
            int symbol = 257 + i;
            int n = fixedLength(symbol);
            LENGTH_BITS[len] = reverse(fixedCode(symbol), n) | (len - LENGTH_BASE[i]) << n;
            LENGTH_COUNT[len] = n + LENGTH_EXTRA[i];
        }
    }

    private final int[][] runs = {new int[0], new int[0]};
    private final int[] runCount = new int[2];
    private byte[] out;
    private int size;
    private long bits;
    private int bitCount;
    private int adlerA;
    private int adlerB;

    /**
     * Writes the zlib stream of {@code px} ({@code w} by {@code h}, one byte a pixel) into {@code
     * out} from {@code at}, which must have room for {@code budget + 2 * w + 64} bytes.
     *
     * @return the end of the stream in {@code out}, or -1 where it would take more than {@code
     *     budget} bytes
     */
    int deflate(byte[] px, int w, int h, byte[] out, int at, int budget) {
        this.out = out;
        size = at;
        bits = 0;
        bitCount = 0;
        adlerA = 1;
        adlerB = 0;
        if (runs[0].length < w) {
            runs[0] = new int[2 * w];
            runs[1] = new int[2 * w];
        }
        out[size++] = 0x78; // deflate, 32 KB window
        out[size++] = 0x01; // no dictionary, fastest; header check bits
        put(1, 1); // final block
        put(1, 2); // fixed Huffman codes
        int scanline = w + 1;
        boolean rowCopies = scanline <= WINDOW && scanline >= MIN_MATCH;
        long rowDistance = rowCopies ? distance(scanline) : 0;
        int current = 0;
        for (int y = 0; y < h; y++) {
            int from = y * w;
            if (y > 0 && rowCopies && Arrays.equals(px, from - w, from, px, from, from + w)) {
                match(scanline, rowDistance);
                adlerByte(0);
                adlerRuns(runs[1 - current], runCount[1 - current]);
            } else {
                literal(0); // filter type None
                adlerByte(0);
                runCount[current] = runsOf(px, from, from + w, runs[current]);
                current = 1 - current;
            }
            int written = size - at;
            if (written > budget
                    || y >= ROWS_BEFORE_PROJECTING
                            && (long) written * h > (long) budget * (y + 1)) {
                return -1;
            }
        }
        put(SYMBOL_BITS[END_OF_BLOCK], SYMBOL_COUNT[END_OF_BLOCK]);
        while (bitCount > 0) {
            out[size++] = (byte) bits;
            bits >>>= 8;
            bitCount = Math.max(0, bitCount - 8);
        }
        int adler = adlerB << 16 | adlerA;
        out[size++] = (byte) (adler >>> 24);
        out[size++] = (byte) (adler >>> 16);
        out[size++] = (byte) (adler >>> 8);
        out[size++] = (byte) adler;
        this.out = null;
        return size;
    }

    /** Writes one row as runs and records them (value, length pairs); returns their count. */
    private int runsOf(byte[] px, int from, int to, int[] record) {
        int n = 0;
        for (int i = from; i < to; ) {
            int value = px[i] & 0xFF;
            int mismatch = Arrays.mismatch(px, i, to - 1, px, i + 1, to);
            int length = mismatch < 0 ? to - i : mismatch + 1;
            literal(value);
            if (length - 1 >= MIN_MATCH) {
                match(length - 1, DISTANCE_ONE);
            } else {
                for (int k = 1; k < length; k++) {
                    literal(value);
                }
            }
            adlerRun(value, length);
            record[n++] = value;
            record[n++] = length;
            i += length;
        }
        return n;
    }

    private void literal(int value) {
        put(SYMBOL_BITS[value], SYMBOL_COUNT[value]);
    }

    /**
     * A distance's fixed-code bits (code, then extra bits) in the low half, their count in the high
     * half.
     */
    private static long distance(int distance) {
        int d = DISTANCE_BASE.length - 1;
        while (DISTANCE_BASE[d] > distance) {
            d--;
        }
        long bits = reverse(d, 5) | (distance - DISTANCE_BASE[d]) << 5;
        return (long) (5 + DISTANCE_EXTRA[d]) << 32 | bits;
    }

    /** Matches of {@code length} bytes in all (at least {@value #MIN_MATCH}) at a distance. */
    private void match(int length, long distance) {
        long distanceBits = distance & 0xFFFF_FFFFL;
        int distanceCount = (int) (distance >>> 32);
        while (length > 0) {
            int chunk = Math.min(length, MAX_MATCH);
            if (length - chunk > 0 && length - chunk < MIN_MATCH) {
                chunk = length - MIN_MATCH;
            }
            put(
                    LENGTH_BITS[chunk] | distanceBits << LENGTH_COUNT[chunk],
                    LENGTH_COUNT[chunk] + distanceCount);
            length -= chunk;
        }
    }

    /** Appends {@code count} (at most 31) bits, first bit lowest. */
    private void put(long value, int count) {
        bits |= value << bitCount;
        bitCount += count;
        if (bitCount >= 32) {
            out[size] = (byte) bits;
            out[size + 1] = (byte) (bits >>> 8);
            out[size + 2] = (byte) (bits >>> 16);
            out[size + 3] = (byte) (bits >>> 24);
            size += 4;
            bits >>>= 32;
            bitCount -= 32;
        }
    }

    private void adlerByte(int value) {
        adlerA = (adlerA + value) % ADLER_MOD;
        adlerB = (adlerB + adlerA) % ADLER_MOD;
    }

    /** Adler-32 over {@code n} bytes of {@code value}: a += n v, b += n a + v n (n + 1) / 2. */
    private void adlerRun(int value, long n) {
        long triangle = n * (n + 1) / 2 % ADLER_MOD;
        adlerB = (int) ((adlerB + n % ADLER_MOD * adlerA + value * triangle) % ADLER_MOD);
        adlerA = (int) ((adlerA + n % ADLER_MOD * value) % ADLER_MOD);
    }

    private void adlerRuns(int[] record, int n) {
        for (int i = 0; i < n; i += 2) {
            adlerRun(record[i], record[i + 1]);
        }
    }

    /** The fixed Huffman code of a literal/length symbol (RFC 1951, 3.2.6), first bit highest. */
    private static int fixedCode(int symbol) {
        if (symbol < 144) {
            return 0x30 + symbol;
        } else if (symbol < 256) {
            return 0x190 + symbol - 144;
        } else if (symbol < 280) {
            return symbol - 256;
        }
        return 0xC0 + symbol - 280;
    }

    private static int fixedLength(int symbol) {
        if (symbol < 144) {
            return 8;
        } else if (symbol < 256) {
            return 9;
        } else if (symbol < 280) {
            return 7;
        }
        return 8;
    }

    private static int reverse(int code, int length) {
        return Integer.reverse(code) >>> (32 - length);
    }
}

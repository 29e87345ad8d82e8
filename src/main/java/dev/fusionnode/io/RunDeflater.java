package dev.fusionnode.io;

import java.util.Arrays;

/**
 * The zlib stream of a 1-channel 8-bit image's PNG scanlines, written as runs: a row equal to the
 * row above is sent with PNG's Up filter (all zeros: one run), any other row unfiltered as its runs
 * of equal bytes (a literal, then matches at distance 1), in one deflate block with Huffman codes
 * made for the image (RFC 1951, 3.2.7). A mask of class ids is almost nothing but runs and repeated
 * rows, so this is one vectorised pass over the pixels ({@link Arrays#mismatch}, {@link
 * Arrays#equals}) where zlib searches hash chains for every byte, and the Adler-32 is summed per
 * run in closed form. A map with short runs, such as a confidence map, soon outgrows the budget and
 * the caller deflates it with zlib instead.
 */
final class RunDeflater {
    private static final int ADLER_MOD = 65521;
    private static final int MIN_MATCH = 3;
    private static final int MAX_MATCH = 258;
    private static final int END_OF_BLOCK = 256;
    private static final int FILTER_NONE = 0;
    private static final int FILTER_UP = 2;

    /** Rows before the projected size is checked against the budget. */
    private static final int ROWS_BEFORE_PROJECTING = 16;

    /** A token that is a match: its length in the low 9 bits (a distance of 1). */
    private static final int MATCH = 1 << 16;

    private static final int LITERAL_LENGTH_SYMBOLS = 286;

    /**
     * The distance code: only distance 1 (symbol 0) is used, but a single code would be incomplete,
     * so symbols 0 and 1 get one bit each; symbol 0's canonical code is 0.
     */
    private static final int[] DISTANCE_LENGTHS = {1, 1};

    private static final int DISTANCE_ONE_CODE = 0;
    private static final int MAX_CODE_BITS = 15;
    private static final int MAX_CODE_LENGTH_BITS = 7;

    /** The order in which the code-length code's lengths are sent. */
    private static final int[] CODE_LENGTH_ORDER = {
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
    };

    private static final int[] LENGTH_BASE = {
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258
    };
    private static final int[] LENGTH_EXTRA = {
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
    };

    /** Symbol (257..285) of each match length. */
    private static final int[] LENGTH_SYMBOL = new int[MAX_MATCH + 1];

    static {
        for (int len = MIN_MATCH; len <= MAX_MATCH; len++) {
            int i = LENGTH_BASE.length - 1;
            while (LENGTH_BASE[i] > len) {
                i--;
            }
            LENGTH_SYMBOL[len] = 257 + i;
        }
    }

    private int[] tokens = new int[1 << 12];
    private int tokenCount;
    private final int[] literalLengthCounts = new int[LITERAL_LENGTH_SYMBOLS];
    private int[] literalLengthBits;
    private final int[] literalLengthCodes = new int[LITERAL_LENGTH_SYMBOLS];
    private byte[] out;
    private int size;
    private long bits;
    private int bitCount;
    private int adlerA;
    private int adlerB;

    /**
     * Writes the zlib stream of {@code px} ({@code w} by {@code h}, one byte a pixel) into {@code
     * out} from {@code at}, which must have room for {@code budget + 1024} bytes.
     *
     * @return the end of the stream in {@code out}, or -1 where the image has too many runs for
     *     {@code budget} bytes
     */
    int deflate(byte[] px, int w, int h, byte[] out, int at, int budget) {
        // a token takes at most 21 bits: the stream stays within the budget and a header
        if (!tokenise(px, w, h, budget / 3)) {
            return -1;
        }
        this.out = out;
        size = at;
        bits = 0;
        bitCount = 0;
        out[size++] = 0x78; // deflate, 32 KB window
        out[size++] = 0x01; // no dictionary, fastest; header check bits
        put(1, 1); // final block
        put(2, 2); // dynamic Huffman codes
        writeCodes();
        for (int i = 0; i < tokenCount; i++) {
            int t = tokens[i];
            if (t < MATCH) {
                put(literalLengthCodes[t], literalLengthBits[t]);
            } else {
                int length = t & 0x1FF;
                int symbol = LENGTH_SYMBOL[length];
                int extra = LENGTH_EXTRA[symbol - 257];
                put(literalLengthCodes[symbol], literalLengthBits[symbol]);
                put(length - LENGTH_BASE[symbol - 257], extra);
                put(DISTANCE_ONE_CODE, DISTANCE_LENGTHS[0]); // distance 1: no extra bits
            }
        }
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

    /**
     * The scanlines as tokens, ending with end-of-block, counted per symbol, with their Adler-32;
     * false past {@code budget} tokens.
     */
    private boolean tokenise(byte[] px, int w, int h, int budget) {
        tokenCount = 0;
        adlerA = 1;
        adlerB = 0;
        Arrays.fill(literalLengthCounts, 0);
        for (int y = 0; y < h; y++) {
            int from = y * w;
            if (y > 0 && Arrays.equals(px, from - w, from, px, from, from + w)) {
                literal(FILTER_UP);
                adlerRun(FILTER_UP, 1);
                run(0, w); // the row minus the row above
            } else {
                literal(FILTER_NONE);
                adlerRun(FILTER_NONE, 1);
                for (int i = from, end = from + w; i < end; ) {
                    int mismatch = Arrays.mismatch(px, i, end - 1, px, i + 1, end);
                    int length = mismatch < 0 ? end - i : mismatch + 1;
                    run(px[i] & 0xFF, length);
                    i += length;
                }
            }
            if (tokenCount > budget
                    || y >= ROWS_BEFORE_PROJECTING
                            && (long) tokenCount * h > (long) budget * (y + 1)) {
                return false;
            }
        }
        literal(END_OF_BLOCK);
        return true;
    }

    /** {@code length} bytes of {@code value}: a literal, then matches at distance 1. */
    private void run(int value, int length) {
        literal(value);
        adlerRun(value, length);
        int rest = length - 1;
        if (rest < MIN_MATCH) {
            for (int k = 0; k < rest; k++) {
                literal(value);
            }
            return;
        }
        while (rest > 0) {
            int chunk = Math.min(rest, MAX_MATCH);
            if (rest - chunk > 0 && rest - chunk < MIN_MATCH) {
                chunk = rest - MIN_MATCH;
            }
            token(MATCH | chunk);
            literalLengthCounts[LENGTH_SYMBOL[chunk]]++;
            rest -= chunk;
        }
    }

    private void literal(int symbol) {
        token(symbol);
        literalLengthCounts[symbol]++;
    }

    private void token(int t) {
        if (tokenCount == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[tokenCount++] = t;
    }

    /**
     * The block's header: the literal/length code made from the counts and the fixed distance code
     * ({@link #DISTANCE_LENGTHS}), both sent as code lengths through a code-length code of their
     * own.
     */
    private void writeCodes() {
        literalLengthBits = HuffmanLengths.of(literalLengthCounts, MAX_CODE_BITS);
        canonical(literalLengthBits, literalLengthCodes);
        int literalLengths = LITERAL_LENGTH_SYMBOLS;
        while (literalLengths > 257 && literalLengthBits[literalLengths - 1] == 0) {
            literalLengths--;
        }
        int[] all = new int[literalLengths + DISTANCE_LENGTHS.length];
        System.arraycopy(literalLengthBits, 0, all, 0, literalLengths);
        System.arraycopy(DISTANCE_LENGTHS, 0, all, literalLengths, DISTANCE_LENGTHS.length);
        // the lengths as code-length symbols: 0-15 as they are, 17 and 18 for runs of zeros
        int[] symbols = new int[all.length];
        int[] extras = new int[all.length];
        int n = 0;
        int[] counts = new int[19];
        for (int i = 0; i < all.length; ) {
            int zeros = 0;
            while (i + zeros < all.length && all[i + zeros] == 0 && zeros < 138) {
                zeros++;
            }
            if (zeros >= 11) {
                symbols[n] = 18;
                extras[n++] = zeros - 11;
                i += zeros;
            } else if (zeros >= 3) {
                symbols[n] = 17;
                extras[n++] = zeros - 3;
                i += zeros;
            } else {
                symbols[n++] = all[i++];
            }
            counts[symbols[n - 1]]++;
        }
        int[] clLengths = HuffmanLengths.of(counts, MAX_CODE_LENGTH_BITS);
        int[] clCodes = new int[19];
        canonical(clLengths, clCodes);
        int sent = 19;
        while (sent > 4 && clLengths[CODE_LENGTH_ORDER[sent - 1]] == 0) {
            sent--;
        }
        put(literalLengths - 257, 5);
        put(DISTANCE_LENGTHS.length - 1, 5);
        put(sent - 4, 4);
        for (int i = 0; i < sent; i++) {
            put(clLengths[CODE_LENGTH_ORDER[i]], 3);
        }
        for (int i = 0; i < n; i++) {
            put(clCodes[symbols[i]], clLengths[symbols[i]]);
            if (symbols[i] == 17) {
                put(extras[i], 3);
            } else if (symbols[i] == 18) {
                put(extras[i], 7);
            }
        }
    }

    /**
     * Canonical codes for the lengths (RFC 1951, 3.2.2), bit-reversed for sending first bit low.
     */
    private static void canonical(int[] lengths, int[] codes) {
        int[] perLength = new int[MAX_CODE_BITS + 2];
        for (int len : lengths) {
            perLength[len]++;
        }
        perLength[0] = 0;
        int[] next = new int[MAX_CODE_BITS + 2];
        int code = 0;
        for (int bits = 1; bits <= MAX_CODE_BITS + 1; bits++) {
            code = (code + perLength[bits - 1]) << 1;
            next[bits] = code;
        }
        for (int s = 0; s < lengths.length; s++) {
            int len = lengths[s];
            if (len != 0) {
                codes[s] = Integer.reverse(next[len]++) >>> (32 - len);
            }
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

    /** Adler-32 over {@code n} bytes of {@code value}: a += n v, b += n a + v n (n + 1) / 2. */
    private void adlerRun(int value, long n) {
        long triangle = n * (n + 1) / 2 % ADLER_MOD;
        adlerB = (int) ((adlerB + n % ADLER_MOD * adlerA + value * triangle) % ADLER_MOD);
        adlerA = (int) ((adlerA + n % ADLER_MOD * value) % ADLER_MOD);
    }
}

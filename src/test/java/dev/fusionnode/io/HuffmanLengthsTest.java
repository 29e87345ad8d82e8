package dev.fusionnode.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Code lengths make a complete prefix code (Kraft sum exactly one, as zlib's inflater requires),
 * within the bit limit even for counts that would make a deeper tree, with a code for every used
 * symbol and shorter codes for more frequent ones.
 */
class HuffmanLengthsTest {
    /** The Kraft sum of the lengths, in units of 2^-limit. */
    private static long kraft(int[] lengths, int limit) {
        long sum = 0;
        for (int len : lengths) {
            if (len > 0) {
                sum += 1L << (limit - len);
            }
        }
        return sum;
    }

    @Test
    void fibonacciCountsAreLimitedAndStayComplete() {
        int[] counts = new int[40];
        counts[0] = 1;
        counts[1] = 1;
        for (int i = 2; i < counts.length; i++) {
            counts[i] = counts[i - 1] + counts[i - 2]; // a tree of depth 39 unlimited
        }
        for (int limit : new int[] {7, 15}) {
            int[] lengths = HuffmanLengths.of(counts, limit);
            for (int i = 0; i < counts.length; i++) {
                assertThat(lengths[i]).as("symbol %d", i).isBetween(1, limit);
            }
            assertThat(kraft(lengths, limit)).isEqualTo(1L << limit);
            assertThat(lengths[39]).isLessThanOrEqualTo(lengths[0]);
        }
    }

    @Test
    void oneUsedSymbolStillGetsACompleteCode() {
        int[] counts = new int[19];
        counts[5] = 100;
        int[] lengths = HuffmanLengths.of(counts, 7);
        assertThat(lengths[5]).isEqualTo(1);
        assertThat(kraft(lengths, 7)).isEqualTo(1L << 7);
    }

    @Test
    void randomCountsGiveCompleteCodesForExactlyTheUsedSymbols() {
        Random r = new Random(4);
        for (int t = 0; t < 200; t++) {
            int[] counts = new int[286];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = r.nextInt(4) == 0 ? r.nextInt(1 << r.nextInt(20)) : 0;
            }
            counts[r.nextInt(286)] = 1 + r.nextInt(1000);
            counts[r.nextInt(286)] = 1 + r.nextInt(1000);
            int[] lengths = HuffmanLengths.of(counts, 15);
            for (int i = 0; i < counts.length; i++) {
                assertThat(lengths[i] > 0)
                        .as("symbol %d of trial %d", i, t)
                        .isEqualTo(counts[i] > 0);
            }
            assertThat(kraft(lengths, 15)).as("trial %d", t).isEqualTo(1L << 15);
        }
    }
}

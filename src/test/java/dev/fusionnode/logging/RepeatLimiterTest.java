package dev.fusionnode.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The burst-per-window decision, on a controlled clock. */
class RepeatLimiterTest {
    @Test
    void aBurstPassesThenLinesAreCountedUntilTheWindowEnds() {
        RepeatLimiter l = new RepeatLimiter(3, 1000, 16);
        for (int i = 0; i < 3; i++) {
            assertThat(l.admit("a", 10 + i).pass()).isTrue();
        }
        for (int i = 0; i < 100; i++) {
            assertThat(l.admit("a", 20 + i).pass()).isFalse();
        }
        // another key is not held back by the first
        assertThat(l.admit("b", 500).pass()).isTrue();
        // the window of "a" ends: its next line goes out with the count of those held back
        RepeatLimiter.Decision d = l.admit("a", 1010);
        assertThat(d.pass()).isTrue();
        assertThat(d.suppressedBefore()).isEqualTo(100);
        assertThat(l.admit("a", 1011).suppressedBefore()).isZero();
    }

    @Test
    void aWindowThatEndsInSilenceIsReportedOnce() {
        RepeatLimiter l = new RepeatLimiter(1, 1000, 16);
        l.admit("a", 0);
        l.admit("a", 1);
        l.admit("a", 2);
        l.admit("quiet", 3);
        assertThat(l.expire(999)).isEmpty();
        assertThat(l.expire(1003)).containsExactly(new RepeatLimiter.Expired("a", 2, 1000));
        assertThat(l.expire(5000)).isEmpty();
        assertThat(l.keys()).isZero();
    }

    @Test
    void theKeyTableIsBoundedAndAForgottenKeyIsReported() {
        RepeatLimiter l = new RepeatLimiter(1, 60_000, 4);
        l.admit("old", 0);
        l.admit("old", 1);
        for (int i = 0; i < 1000; i++) {
            assertThat(l.admit("id-" + i, 2 + i).pass()).isTrue();
            assertThat(l.keys()).isLessThanOrEqualTo(4);
        }
        List<RepeatLimiter.Expired> out = l.expire(2000);
        assertThat(out).containsExactly(new RepeatLimiter.Expired("old", 1, 60_000));
    }
}

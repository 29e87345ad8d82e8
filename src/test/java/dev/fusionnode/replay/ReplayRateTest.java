package dev.fusionnode.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.replay.ReplayOptions.ReplayRate;
import org.junit.jupiter.api.Test;

/**
 * Replay rates: {@code max}, {@code real} and factors from 0.01 to 1000; anything else is refused
 * with the range named ({@code 1e-300} was accepted and played faster than real time).
 */
class ReplayRateTest {
    @Test
    void factorsInRangeAreAccepted() {
        assertThat(ReplayRate.parse("max")).isEqualTo(ReplayRate.MAX);
        assertThat(ReplayRate.parse("real")).isEqualTo(ReplayRate.REAL_TIME);
        assertThat(ReplayRate.parse("2.5x").factor()).isEqualTo(2.5);
        assertThat(ReplayRate.parse("0.01").factor()).isEqualTo(0.01);
        assertThat(ReplayRate.parse("1000").factor()).isEqualTo(1000);
    }

    @Test
    void tinyHugeAndNonNumbersAreRefused() {
        for (String bad : new String[] {"1e-300", "0.001", "0", "-1", "1001", "1e308"}) {
            assertThatThrownBy(() -> ReplayRate.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("from 0.01 to 1000.0");
        }
        assertThatThrownBy(() -> ReplayRate.parse("NaN"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReplayRate.parse("fast"))
                .hasMessageContaining("is not 'max', 'real' or a positive number");
    }
}

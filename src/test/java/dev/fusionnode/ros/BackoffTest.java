package dev.fusionnode.ros;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reconnect delays double up to the bound and start over after a success. */
class BackoffTest {
    @Test
    void doublesUpToTheMaximumAndResets() {
        Backoff b = new Backoff(100, 700);
        assertThat(new long[] {b.next(), b.next(), b.next(), b.next(), b.next()})
                .containsExactly(100, 200, 400, 700, 700);
        b.reset();
        assertThat(b.next()).isEqualTo(100);
        assertThatThrownBy(() -> new Backoff(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(10, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}

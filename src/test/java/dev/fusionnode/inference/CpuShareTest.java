package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The threads the cores left allow, from one window's CPU counters (100 ticks per core). */
class CpuShareTest {
    @Test
    void aForeignBusyCoreTakesAThread() {
        CpuShare twoCores = new CpuShare(2, 2);
        // quiet: we used 1.9 cores, nothing else ran
        assertThat(twoCores.threads(190, 190, 200)).isEqualTo(2);
        // one foreign busy loop: 1 core of others
        assertThat(twoCores.threads(200, 100, 200)).isEqualTo(1);
        // a little foreign noise (a tenth of a core) takes nothing
        assertThat(twoCores.threads(110, 100, 200)).isEqualTo(2);
        // both cores taken by others: still one thread
        assertThat(twoCores.threads(200, 0, 200)).isEqualTo(1);
    }

    @Test
    void theConfiguredThreadsAreTheCeiling() {
        CpuShare share = new CpuShare(8, 3);
        assertThat(share.threads(100, 100, 800)).isEqualTo(3);
        assertThat(share.threads(700, 100, 800)).isEqualTo(2); // 6 cores of others leave 2
        assertThat(share.threads(0, 0, 0)).isEqualTo(3); // no window yet
        assertThatThrownBy(() -> new CpuShare(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}

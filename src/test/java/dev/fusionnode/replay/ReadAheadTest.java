package dev.fusionnode.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Verifies when the replay reads ahead: in the gaps when timed, at once when low or at full speed.
 */
class ReadAheadTest {
    private final ReadAhead three = new ReadAhead(3);

    @Test
    void neverBuffersMoreThanItsFrames() {
        assertThat(three.readsNow(true, 0, 3)).isFalse();
        assertThat(three.readsNow(false, 0, 3)).isFalse();
        assertThat(three.readsNow(true, 4, 5)).isFalse();
    }

    @Test
    void timedPlaybackWaitsForTheFrameInFlightUnlessTheBufferRunsLow() {
        assertThat(three.readsNow(false, 1, 2)).as("a frame in flight, two buffered").isFalse();
        assertThat(three.readsNow(false, 0, 2)).as("the pipeline idle").isTrue();
        assertThat(three.readsNow(false, 1, 1)).as("one frame left").isTrue();
        assertThat(three.readsNow(false, 4, 0)).as("none left").isTrue();
    }

    @Test
    void fullSpeedReadsWheneverThereIsRoom() {
        assertThat(three.readsNow(true, 4, 2)).isTrue();
        assertThat(three.readsNow(true, 1, 0)).isTrue();
    }
}

package dev.fusionnode.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Verifies when the replay reads ahead: halfway through the gaps when timed, at once when low or at
 * full speed.
 */
class ReadAheadTest {
    private static final long MS = 1_000_000L;
    private final ReadAhead three = new ReadAhead(3);

    @Test
    void neverBuffersMoreThanItsFrames() {
        assertThat(three.readAt(true, 0, 3, 0, ReadAhead.NOW)).isEqualTo(ReadAhead.LATER);
        assertThat(three.readAt(false, 0, 3, 0, 100 * MS)).isEqualTo(ReadAhead.LATER);
        assertThat(three.readAt(true, 4, 5, 0, ReadAhead.NOW)).isEqualTo(ReadAhead.LATER);
    }

    @Test
    void timedPlaybackReadsHalfwayBetweenTheLastEndAndTheNextDueFrame() {
        assertThat(three.readAt(false, 1, 2, 0, 100 * MS))
                .as("a frame in flight, two buffered")
                .isEqualTo(ReadAhead.LATER);
        assertThat(three.readAt(false, 0, 2, 17 * MS, 100 * MS))
                .as("the pipeline idle since 17 ms, the next frame due at 100 ms")
                .isEqualTo(58 * MS + MS / 2);
        assertThat(three.readAt(false, 0, 2, 100 * MS, 90 * MS))
                .as("the next frame overdue")
                .isEqualTo(ReadAhead.NOW);
    }

    @Test
    void timedPlaybackReadsAtOnceWhenTheBufferRunsLowOrTheDueTimeIsNotKnown() {
        assertThat(three.readAt(false, 1, 1, 0, 100 * MS))
                .as("one frame left")
                .isEqualTo(ReadAhead.NOW);
        assertThat(three.readAt(false, 4, 0, 0, ReadAhead.NOW))
                .as("none left")
                .isEqualTo(ReadAhead.NOW);
        assertThat(three.readAt(false, 0, 2, 0, ReadAhead.NOW))
                .as("two being read, none ready")
                .isEqualTo(ReadAhead.NOW);
    }

    @Test
    void fullSpeedReadsWheneverThereIsRoom() {
        assertThat(three.readAt(true, 4, 2, 0, 100 * MS)).isEqualTo(ReadAhead.NOW);
        assertThat(three.readAt(true, 1, 0, 0, ReadAhead.NOW)).isEqualTo(ReadAhead.NOW);
    }
}

package dev.fusionnode.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The credits of a live source: at most {@code max} frames in flight, returned by FrameDone. */
class CreditWindowTest {
    @Test
    void admitsUpToTheBoundAndTakesBackOnlyItsOwnFrames() {
        CreditWindow w = new CreditWindow(2);
        assertThat(w.tryAdmit("front", 0)).isTrue();
        assertThat(w.tryAdmit("rear", 0)).isTrue();
        assertThat(w.tryAdmit("front", 1)).as("no credit left").isFalse();
        assertThat(w.returned(new FrameDone("replayed", 0, false)))
                .as("another source's frame")
                .isFalse();
        assertThat(w.inFlight()).isEqualTo(2);
        assertThat(w.returned(new FrameDone("front", 0, true))).isTrue();
        assertThat(w.returned(new FrameDone("front", 0, true))).as("returned once").isFalse();
        assertThat(w.tryAdmit("front", 1)).isTrue();
        assertThat(w.inFlight()).isEqualTo(2);
    }
}

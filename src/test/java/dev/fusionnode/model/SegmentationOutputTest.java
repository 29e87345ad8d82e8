package dev.fusionnode.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The low-confidence share behind a frame's unfamiliarity and the teacher's unlabelled pixels. */
class SegmentationOutputTest {
    @Test
    void lowConfidenceShareCountsPixelsUnderTheThreshold() {
        assertThat(SegmentationOutput.confidenceLimit(0.5)).isEqualTo(128);
        assertThat(SegmentationOutput.confidenceLimit(0.7)).isEqualTo(179);
        assertThat(SegmentationOutput.confidenceLimit(1.0)).isEqualTo(255);
        byte[] confidence = {(byte) 127, (byte) 128, (byte) 255, 0};
        SegmentationOutput o = new SegmentationOutput(new byte[4], confidence, 2, 4, null);
        assertThat(o.lowConfidenceFraction(0.5)).isEqualTo(0.5); // 127 and 0
        assertThat(o.lowConfidenceFraction(0.0)).isZero();
        assertThat(o.lowConfidenceFraction(1.0)).isEqualTo(0.75);
    }
}

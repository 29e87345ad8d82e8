package dev.fusionnode.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The paper's split-level metric (clft-spec §5.1) on hand-counted batches. */
class SegmentationMetricsTest {
    private static final List<String> NAMES = List.of("background", "vehicle", "sign", "human");

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void countsAreSummedOverBatchesNotAveraged() {
        SegmentationMetrics m = new SegmentationMetrics(4);
        // batch 1: vehicle TP 2, pred 3, gt 2 -> union 3; human TP 0, pred 0, gt 1 -> union 1
        m.addBatch(b(1, 1, 1, 0, 0, 0), b(1, 1, 0, 0, 3, 0));
        // batch 2: vehicle TP 1, pred 1, gt 3 -> union 3; human TP 1, pred 1, gt 1 -> union 1
        m.addBatch(b(1, 3, 0, 0, 0, 0), b(1, 3, 1, 1, 0, 0));
        SegmentationScores s = m.scores(NAMES);
        assertThat(s.iou("vehicle")).isCloseTo(3.0 / 6.0, within(1e-12));
        assertThat(s.iou("human")).isCloseTo(1.0 / 2.0, within(1e-12));
        // sign absent from both: union clamped to 1e-6 per batch, IoU 0
        assertThat(s.iou("sign")).isZero();
        assertThat(s.meanIou()).isCloseTo((0.5 + 0 + 0.5) / 3, within(1e-12));
        var vehicle = s.classes().get(0);
        assertThat(vehicle.precision()).isCloseTo(3.0 / 4.0, within(1e-12));
        assertThat(vehicle.recall()).isCloseTo(3.0 / 5.0, within(1e-12));
        assertThat(vehicle.f1()).isCloseTo(2 * 0.75 * 0.6 / 1.35, within(1e-12));
        assertThat(s.pixelAccuracy()).isCloseTo(8.0 / 12.0, within(1e-12));
        assertThat(s.confusion()[1][0]).as("gt vehicle predicted background").isEqualTo(2);
        assertThat(s.confusion()[0][1]).as("gt background predicted vehicle").isEqualTo(1);
        assertThat(s.toJson().getJsonObject("overall").getDouble("mIoU_foreground"))
                .isEqualTo(s.meanIou());
        assertThat(s.toJson().getJsonObject("vehicle").getDouble("f1_score"))
                .isEqualTo(vehicle.f1());
    }

    @Test
    void rejectsMismatchedOrOutOfRangeInput() {
        SegmentationMetrics m = new SegmentationMetrics(3);
        assertThatThrownBy(() -> m.addBatch(b(0, 1), b(0))).hasMessageContaining("pixels");
        assertThatThrownBy(() -> m.addBatch(b(0, 3), b(0, 0))).hasMessageContaining("outside 0..2");
    }
}

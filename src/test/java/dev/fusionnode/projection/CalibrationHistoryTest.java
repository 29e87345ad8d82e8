package dev.fusionnode.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.pipeline.CalibrationUpdate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Verifies that a frame gets the calibration in force at its capture time, whatever arrived since.
 */
class CalibrationHistoryTest {

    /**
     * Verifies floor lookup by time, including an update that marks a stretch without calibration.
     */
    @Test
    void picksTheUpdateInForceAtCaptureTime() {
        Calibration a =
                new Calibration(10, 10, PinholeCamera.ideal(5, 5, 5, 5), RigidTransform.identity());
        Calibration b = a.withImageSize(20, 20);
        CalibrationHistory h = new CalibrationHistory();
        assertThat(h.at(0)).isEmpty();
        h.add(new CalibrationUpdate("front", "top", Long.MIN_VALUE, Optional.of(a)));
        h.add(new CalibrationUpdate("front", "top", 300, Optional.empty()));
        h.add(new CalibrationUpdate("front", "top", 400, Optional.of(b)));

        assertThat(h.at(299)).contains(a);
        assertThat(h.at(300)).isEmpty();
        assertThat(h.at(399)).isEmpty();
        assertThat(h.at(400)).contains(b);
        assertThat(h.at(Long.MAX_VALUE)).contains(b);
    }
}

package dev.fusionnode.projection;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.pipeline.CalibrationUpdate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The recent calibration updates of a source, looked up by a frame's capture time: the update with
 * the latest {@code validFromNs} at or before it. Bounded; not thread-safe (confine to one event
 * loop).
 */
final class CalibrationHistory {
    private static final int MAX_ENTRIES = 256;
    private final TreeMap<Long, Optional<Calibration>> byTime = new TreeMap<>();

    void add(CalibrationUpdate update) {
        byTime.put(update.validFromNs(), update.calibration());
        while (byTime.size() > MAX_ENTRIES) {
            byTime.pollFirstEntry();
        }
    }

    Optional<Calibration> at(long captureTimeNs) {
        Map.Entry<Long, Optional<Calibration>> e = byTime.floorEntry(captureTimeNs);
        return e == null ? Optional.empty() : e.getValue();
    }

    boolean isEmpty() {
        return byTime.isEmpty();
    }
}

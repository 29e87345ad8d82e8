package dev.fusionnode.replay;

import dev.fusionnode.pipeline.CalibrationUpdate;
import java.util.List;
import java.util.Optional;

/** Loads the frames of a drive for the replay (blocking: runs on a worker). */
public interface FrameSource {
    /** The calibration in force from the start, if the drive has one. */
    Optional<CalibrationUpdate> startCalibration();

    /** Every calibration in force from the start (one per camera of a rig). */
    default List<CalibrationUpdate> startCalibrations() {
        return startCalibration().stream().toList();
    }

    /** Loads frame {@code index} of loop pass {@code pass}. */
    LoadedFrame load(long generation, int index, int pass);
}

package dev.fusionnode.replay;

import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.LidarScan;
import java.util.List;
import java.util.Optional;

/**
 * A replay frame read from disk and ready to emit.
 *
 * @param generation the seek generation it was loaded in (stale loads are discarded)
 * @param timelineIndex position on the replay timeline (frame index plus passes), the frame's
 *     sequence number
 * @param camera the camera frame, empty when it could not be read (then the frame is skipped)
 * @param scans the scans to publish before it (none when there is none or it could not be read)
 * @param calibration the frame's own calibration (KITTI), when it has one
 */
public record LoadedFrame(
        long generation,
        long timelineIndex,
        Optional<CameraFrame> camera,
        List<LidarScan> scans,
        Optional<CalibrationUpdate> calibration) {

    /** A frame with at most one scan. */
    LoadedFrame(
            long generation,
            long timelineIndex,
            Optional<CameraFrame> camera,
            Optional<LidarScan> scan,
            Optional<CalibrationUpdate> calibration) {
        this(generation, timelineIndex, camera, scan.stream().toList(), calibration);
    }
}

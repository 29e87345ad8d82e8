package dev.fusionnode.pipeline;

import dev.fusionnode.calib.Calibration;
import java.util.Optional;

/**
 * The calibration a source reports for its camera / LiDAR pair, in force for camera frames captured
 * at or after {@code validFromNs} (the role of ROS's stamped {@code camera_info}). Stamping makes
 * the choice independent of how the update and the frames interleave on their way through the
 * pipeline.
 *
 * @param cameraId camera id
 * @param lidarId LiDAR id
 * @param validFromNs capture time of the first camera frame it applies to ({@link Long#MIN_VALUE}:
 *     all)
 * @param calibration the calibration, empty when the source has none for those frames
 */
public record CalibrationUpdate(
        String cameraId, String lidarId, long validFromNs, Optional<Calibration> calibration) {}

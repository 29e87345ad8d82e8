package dev.fusionnode.sensor;

import dev.fusionnode.calib.Calibration;
import java.util.Optional;

/**
 * The calibration a source reports for its camera / LiDAR pair, in force for the frames that follow it (the role
 * of ROS's {@code camera_info}).
 *
 * @param cameraId camera id
 * @param lidarId LiDAR id
 * @param calibration the calibration, empty when the source has none for the coming frames
 */
public record CalibrationUpdate(String cameraId, String lidarId, Optional<Calibration> calibration) {}

package dev.fusionnode.calib;

import java.util.Objects;

/**
 * Camera + LiDAR calibration: the raw image size the intrinsics refer to, the camera model and the
 * LiDAR-to-camera extrinsic (maps LiDAR-frame points into the camera's optical frame).
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param camera intrinsics and distortion
 * @param lidarToCamera extrinsic transform
 */
public record Calibration(int width, int height, CameraModel camera, RigidTransform lidarToCamera) {
    /** Validates the components. */
    public Calibration {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(lidarToCamera, "lidarToCamera");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive, got " + width + "x" + height);
        }
    }

    /** The same calibration for another image size (intrinsics unchanged). */
    public Calibration withImageSize(int newWidth, int newHeight) {
        return new Calibration(newWidth, newHeight, camera, lidarToCamera);
    }
}

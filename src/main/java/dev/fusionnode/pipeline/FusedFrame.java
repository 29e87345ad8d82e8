package dev.fusionnode.pipeline;

import java.util.Objects;
import java.util.Optional;

/**
 * A camera frame with the LiDAR scan paired to it, projected into the image plane.
 *
 * @param camera the camera frame
 * @param lidar the paired scan, empty when the frame is processed camera-only
 * @param lidarImage the CLFT 3-channel LiDAR image at camera resolution, empty when camera-only
 * @param pointsInImage how many points landed inside the image
 * @param skewNs LiDAR time minus camera time (after per-sensor offsets), 0 when camera-only
 * @param ingestNanoTime {@link System#nanoTime()} when the camera frame entered the pipeline, for
 *     latency
 */
public record FusedFrame(
        CameraFrame camera,
        Optional<LidarScan> lidar,
        Optional<Image> lidarImage,
        int pointsInImage,
        long skewNs,
        long ingestNanoTime) {
    /** Validates the components. */
    public FusedFrame {
        Objects.requireNonNull(camera, "camera");
        lidar = lidar == null ? Optional.empty() : lidar;
        lidarImage = lidarImage == null ? Optional.empty() : lidarImage;
    }

    /** True when no LiDAR was paired. */
    public boolean cameraOnly() {
        return lidar.isEmpty();
    }
}

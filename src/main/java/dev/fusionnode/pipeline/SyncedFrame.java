package dev.fusionnode.pipeline;

import java.util.Objects;
import java.util.Optional;

/**
 * A camera frame with the scan nearest to it in time, or none.
 *
 * @param camera the camera frame
 * @param scan the paired scan, empty when camera-only
 * @param skewNs corrected LiDAR time minus corrected camera time (0 when camera-only)
 * @param ingestNanoTime {@link System#nanoTime()} when the camera frame reached the synchroniser
 */
public record SyncedFrame(
        CameraFrame camera, Optional<LidarScan> scan, long skewNs, long ingestNanoTime) {
    /** Validates the components. */
    public SyncedFrame {
        Objects.requireNonNull(camera, "camera");
        scan = scan == null ? Optional.empty() : scan;
    }
}

package dev.fusionnode.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A camera frame with the scan nearest to it in time, or none, and the nearest scans of the other
 * LiDARs within the tolerance (a rig of several LiDARs).
 *
 * @param camera the camera frame
 * @param scan the paired scan, empty when camera-only
 * @param skewNs corrected LiDAR time minus corrected camera time (0 when camera-only)
 * @param ingestNanoTime {@link System#nanoTime()} when the camera frame reached the synchroniser
 * @param otherScans the other LiDARs' nearest scans within the tolerance, one per LiDAR
 */
public record SyncedFrame(
        CameraFrame camera,
        Optional<LidarScan> scan,
        long skewNs,
        long ingestNanoTime,
        List<LidarScan> otherScans) {
    /** Validates the components. */
    public SyncedFrame {
        Objects.requireNonNull(camera, "camera");
        scan = scan == null ? Optional.empty() : scan;
        otherScans = otherScans == null ? List.of() : List.copyOf(otherScans);
    }

    /** A frame paired with one scan (or none). */
    public SyncedFrame(
            CameraFrame camera, Optional<LidarScan> scan, long skewNs, long ingestNanoTime) {
        this(camera, scan, skewNs, ingestNanoTime, List.of());
    }
}

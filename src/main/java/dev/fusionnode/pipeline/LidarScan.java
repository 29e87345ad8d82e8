package dev.fusionnode.pipeline;

import java.util.Objects;
import java.util.Optional;

/**
 * One LiDAR sweep.
 *
 * @param sensorId LiDAR name (for example {@code top})
 * @param seq sequence number given by the source
 * @param timeNs scan time in nanoseconds (sensor clock, epoch based)
 * @param frameId coordinate frame of the points: {@link #FRAME_LIDAR} for the sensor frame (x
 *     forward, y left, z up), {@link #FRAME_CAMERA} when a dataset already stores them in the
 *     camera frame (x right, y down, z forward)
 * @param points the points
 * @param pixelHints pixel coordinates precomputed by the dataset, if any
 * @param origin where the scan came from, for error messages
 */
public record LidarScan(
        String sensorId,
        long seq,
        long timeNs,
        String frameId,
        PointCloud points,
        Optional<PixelHints> pixelHints,
        String origin) {
    /** Points in the LiDAR's own frame. */
    public static final String FRAME_LIDAR = "lidar";

    /** Points already in the camera's optical frame. */
    public static final String FRAME_CAMERA = "camera";

    /** Validates the components. */
    public LidarScan {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(frameId, "frameId");
        Objects.requireNonNull(points, "points");
        pixelHints = pixelHints == null ? Optional.empty() : pixelHints;
        origin = origin == null ? "" : origin;
        if (pixelHints.isPresent() && pixelHints.get().size() != points.size()) {
            throw new IllegalArgumentException(
                    "pixel hints for "
                            + pixelHints.get().size()
                            + " points but the scan has "
                            + points.size());
        }
    }

    /** A scan in the LiDAR frame without precomputed pixels. */
    public static LidarScan of(
            String sensorId, long seq, long timeNs, PointCloud points, String origin) {
        return new LidarScan(sensorId, seq, timeNs, FRAME_LIDAR, points, Optional.empty(), origin);
    }
}

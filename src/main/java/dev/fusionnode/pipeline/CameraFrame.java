package dev.fusionnode.pipeline;

import java.util.Objects;

/**
 * One camera image as captured.
 *
 * @param sensorId camera name (for example {@code front})
 * @param seq sequence number given by the source, increasing per source
 * @param captureTimeNs capture time in nanoseconds (sensor clock, epoch based)
 * @param image decoded RGB image
 * @param origin where the frame came from (file path or device), for error messages
 */
public record CameraFrame(
        String sensorId, long seq, long captureTimeNs, Image image, String origin) {
    /** Validates the components. */
    public CameraFrame {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(image, "image");
        origin = origin == null ? "" : origin;
    }
}

package dev.fusionnode.pipeline;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * A segmented frame encoded once for every publisher (MQTT, Foxglove WebSocket, HTTP, viewer): the
 * mask as a single-channel PNG (pixel = train-class index), the overlay and the camera image as
 * JPEG, and the per-frame meta JSON. Immutable; the byte arrays are shared, never modified.
 *
 * @param frame the segmented frame (camera, LiDAR scan, mask image, timings)
 * @param cameraId camera sensor id (topic and channel names)
 * @param seq frame sequence number
 * @param captureTimeNs camera capture time
 * @param classNames train-class names by index
 * @param classColors class colours {@code 0xRRGGBB} by index
 * @param maskPng mask PNG bytes
 * @param confidencePng confidence PNG bytes (8-bit, top softmax probability x 255)
 * @param overlayJpeg overlay JPEG bytes (coloured mask blended on the camera image); empty when
 *     nobody wanted it ({@link ImageDemand})
 * @param cameraJpeg camera image JPEG bytes; empty when nobody wanted it
 * @param meta per-frame JSON (seq, times, latencies, class pixel counts, model version, drops)
 */
public record EncodedFrame(
        SegmentedFrame frame,
        String cameraId,
        long seq,
        long captureTimeNs,
        List<String> classNames,
        int[] classColors,
        byte[] maskPng,
        byte[] confidencePng,
        byte[] overlayJpeg,
        byte[] cameraJpeg,
        JsonObject meta) {
    /** Checks the parts. */
    public EncodedFrame {
        Objects.requireNonNull(frame, "frame");
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(maskPng, "maskPng");
        Objects.requireNonNull(confidencePng, "confidencePng");
        Objects.requireNonNull(overlayJpeg, "overlayJpeg");
        Objects.requireNonNull(cameraJpeg, "cameraJpeg");
        Objects.requireNonNull(meta, "meta");
    }

    /** The model version that made the mask. */
    public String modelVersion() {
        return frame.modelVersion();
    }
}

package dev.fusionnode.pipeline;

import java.util.Arrays;
import java.util.Objects;

/**
 * A fused frame with its segmentation: the mask at camera resolution (one byte per pixel, the
 * train-class index) and how it was made.
 *
 * @param fused the frame that went into the model
 * @param mask single-channel class-index image, camera width x height
 * @param confidence single-channel image of the top softmax probability x 255, camera size
 * @param unfamiliarity fraction of the model's pixels below the low-confidence threshold
 * @param modelVersion version of the model that made it
 * @param batchSize size of the batch it ran in
 * @param fusionNanos time from the camera frame's arrival to its fused frame reaching inference
 *     (synchronisation and projection)
 * @param queueNanos time the frame waited for its batch
 * @param preprocessNanos preprocessing time of its batch
 * @param forwardNanos forward time of its batch
 * @param postprocessNanos postprocessing time of its batch
 */
public record SegmentedFrame(
        FusedFrame fused,
        Image mask,
        Image confidence,
        double unfamiliarity,
        String modelVersion,
        int batchSize,
        long fusionNanos,
        long queueNanos,
        long preprocessNanos,
        long forwardNanos,
        long postprocessNanos) {
    /** Checks the mask. */
    public SegmentedFrame {
        Objects.requireNonNull(fused, "fused");
        if (mask.channels() != 1
                || mask.width() != fused.camera().image().width()
                || mask.height() != fused.camera().image().height()) {
            throw new IllegalArgumentException(
                    "mask " + mask + " does not match the camera image " + fused.camera().image());
        }
        if (confidence.channels() != 1
                || confidence.width() != mask.width()
                || confidence.height() != mask.height()) {
            throw new IllegalArgumentException(
                    "confidence " + confidence + " does not match the mask " + mask);
        }
    }

    /** A full-confidence image for {@code mask} (frames not made by a model: tests, benchmarks). */
    public static Image certain(Image mask) {
        byte[] px = new byte[mask.width() * mask.height()];
        Arrays.fill(px, (byte) 255);
        return new Image(mask.width(), mask.height(), 1, px);
    }
}

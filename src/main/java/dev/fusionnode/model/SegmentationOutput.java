package dev.fusionnode.model;

/**
 * The model's answer for one sample at model resolution.
 *
 * @param mask train-class index per pixel, row-major {@code size x size}
 * @param confidence the top softmax probability per pixel scaled to 0..255 (rounded), row-major
 * @param size side of the square
 * @param classes number of classes
 * @param logits (C, size, size) logits when asked for, else null
 */
public record SegmentationOutput(
        byte[] mask, byte[] confidence, int size, int classes, float[] logits) {

    /**
     * The 8-bit confidence below which a pixel is under {@code threshold} (a probability): {@code
     * ceil(255 * threshold)}.
     */
    public static int confidenceLimit(double threshold) {
        return (int) Math.ceil(threshold * 255 - 1e-9);
    }

    /** The fraction of pixels whose confidence is below {@code threshold} (a probability). */
    public double lowConfidenceFraction(double threshold) {
        int limit = confidenceLimit(threshold);
        long low = 0;
        for (byte b : confidence) {
            if ((b & 0xFF) < limit) {
                low++;
            }
        }
        return confidence.length == 0 ? 0 : (double) low / confidence.length;
    }
}

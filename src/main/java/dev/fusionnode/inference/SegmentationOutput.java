package dev.fusionnode.inference;

/**
 * The model's answer for one sample at model resolution.
 *
 * @param mask train-class index per pixel, row-major {@code size x size}
 * @param size side of the square
 * @param classes number of classes
 * @param logits (C, size, size) logits when asked for, else null
 */
public record SegmentationOutput(byte[] mask, int size, int classes, float[] logits) {}

package dev.fusionnode.inference;

/**
 * When a batch goes to the model: as soon as {@code maxBatch} frames wait, or when the oldest
 * waiting frame has waited {@code maxDelayNanos} (the Triton / djl-serving rule: bounded by size
 * and by delay).
 *
 * @param maxBatch largest batch
 * @param maxDelayNanos longest a frame waits for others to join its batch
 */
public record BatchPolicy(int maxBatch, long maxDelayNanos) {
    /** Validates the bounds. */
    public BatchPolicy {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        if (maxDelayNanos < 0) {
            throw new IllegalArgumentException("maxDelay must not be negative");
        }
    }
}

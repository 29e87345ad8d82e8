package dev.fusionnode.inference;

/**
 * When a batch goes to the model.
 *
 * <ul>
 *   <li>{@link Grouping#SIZE}: as soon as {@code maxBatch} frames wait, or when the oldest waiting
 *       frame has waited {@code maxDelayNanos} (the Triton / djl-serving rule: bounded by size and
 *       by delay).
 *   <li>{@link Grouping#INSTANT}: the frames of one capture instant, one per camera (capture times
 *       within {@code instantToleranceNanos} of the oldest waiting frame's), as soon as {@code
 *       camerasPerInstant} of them wait, or when the oldest has waited {@code maxDelayNanos} (a
 *       late camera does not hold the others back longer); DeepStream's stream muxer forms its
 *       batches this way. Frames of later instants wait their turn.
 * </ul>
 *
 * @param maxBatch largest batch
 * @param maxDelayNanos longest a frame waits for others to join its batch
 * @param grouping how frames are grouped
 * @param camerasPerInstant cameras of one instant (the batch is complete with them)
 * @param instantToleranceNanos capture times this close belong to one instant
 */
public record BatchPolicy(
        int maxBatch,
        long maxDelayNanos,
        Grouping grouping,
        int camerasPerInstant,
        long instantToleranceNanos) {

    /** How frames are grouped into batches. */
    public enum Grouping {
        /** Any frames, oldest first. */
        SIZE,
        /** The cameras of one capture instant. */
        INSTANT
    }

    /** Validates the bounds. */
    public BatchPolicy {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        if (maxDelayNanos < 0) {
            throw new IllegalArgumentException("maxDelay must not be negative");
        }
        if (camerasPerInstant < 1) {
            throw new IllegalArgumentException(
                    "camerasPerInstant must be at least 1, got " + camerasPerInstant);
        }
        if (instantToleranceNanos < 0) {
            throw new IllegalArgumentException("instantTolerance must not be negative");
        }
    }

    /** Batches by size and delay. */
    public BatchPolicy(int maxBatch, long maxDelayNanos) {
        this(maxBatch, maxDelayNanos, Grouping.SIZE, maxBatch, 0);
    }

    /** The frames of one batch at most: for an instant, its cameras (within {@code maxBatch}). */
    int fullBatch() {
        return grouping == Grouping.INSTANT ? Math.min(maxBatch, camerasPerInstant) : maxBatch;
    }
}

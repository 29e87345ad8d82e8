package dev.fusionnode.ros;

/**
 * Reconnect delays: {@code minMs}, doubling up to {@code maxMs}, back to {@code minMs} after a
 * success. Not thread-safe.
 */
public final class Backoff {
    private final long minMs;
    private final long maxMs;
    private long next;

    /** Delays from {@code minMs} up to {@code maxMs}. */
    public Backoff(long minMs, long maxMs) {
        if (minMs <= 0 || maxMs < minMs) {
            throw new IllegalArgumentException(
                    "backoff needs 0 < min <= max, found " + minMs + ".." + maxMs);
        }
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.next = minMs;
    }

    /** The delay before the next try; each call doubles the one after, up to the maximum. */
    public long next() {
        long d = next;
        next = Math.min(maxMs, next * 2);
        return d;
    }

    /** A try succeeded: the next delay is the minimum again. */
    public void reset() {
        next = minMs;
    }
}

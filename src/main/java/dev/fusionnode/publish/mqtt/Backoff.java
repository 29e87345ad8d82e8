package dev.fusionnode.publish.mqtt;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: from {@code minMs}, doubling to {@code maxMs}, with ±20 % jitter; reset on
 * success.
 */
final class Backoff {
    private final long minMs;
    private final long maxMs;
    private long nextMs;

    Backoff(long minMs, long maxMs) {
        if (minMs < 1 || maxMs < minMs) {
            throw new IllegalArgumentException("need 1 <= min <= max, got " + minMs + ", " + maxMs);
        }
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.nextMs = minMs;
    }

    /** The next delay in milliseconds (within [0.8 min, max]). */
    long next() {
        long base = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Math.max(1, Math.min(maxMs, Math.round(base * jitter)));
    }

    /** Starts again from the shortest delay. */
    void reset() {
        nextMs = minMs;
    }
}

package dev.fusionnode.pipeline;

/** Events per second over a sliding window of whole seconds. Thread-safe. */
public final class RateMeter {
    private static final int WINDOW_S = 5;
    private final long[] counts = new long[WINDOW_S + 1];
    private final long[] seconds = new long[WINDOW_S + 1];
    private final long startSecond = System.nanoTime() / 1_000_000_000L;

    /** Records one event now. */
    public synchronized void mark() {
        long s = System.nanoTime() / 1_000_000_000L;
        int slot = (int) (s % counts.length);
        if (seconds[slot] != s) {
            seconds[slot] = s;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /**
     * Mean events per second over the last full seconds of the window (fewer right after start).
     */
    public synchronized double perSecond() {
        long now = System.nanoTime() / 1_000_000_000L;
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (seconds[i] < now && seconds[i] >= now - WINDOW_S) {
                sum += counts[i];
            }
        }
        long full = Math.min(WINDOW_S, now - startSecond);
        return full <= 0 ? 0 : sum / (double) full;
    }
}

package dev.fusionnode.logging;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which of a stream of keyed log lines to let through: at most {@code burst} lines of one
 * key per {@code windowMs}; the rest are counted, and the count is reported once the window ends
 * (on the key's next line, or by {@link #expire}). At most {@code maxKeys} keys are tracked; the
 * least recently seen is forgotten (its count reported) beyond that. A pure decision on the
 * caller's clock; not thread-safe.
 */
public final class RepeatLimiter {
    /** What to do with one line. */
    public record Decision(boolean pass, long suppressedBefore, long windowMs) {}

    /** A key whose window ended with lines suppressed. */
    public record Expired(String key, long suppressed, long windowMs) {}

    private static final class Window {
        long startMs;
        int passed;
        long suppressed;

        Window(long startMs) {
            this.startMs = startMs;
        }
    }

    private final int burst;
    private final long windowMs;
    private final int maxKeys;
    private final LinkedHashMap<String, Window> windows;
    private final List<Expired> evicted = new ArrayList<>();

    /**
     * @throws IllegalArgumentException if a bound is not positive
     */
    public RepeatLimiter(int burst, long windowMs, int maxKeys) {
        if (burst < 1 || windowMs < 1 || maxKeys < 1) {
            throw new IllegalArgumentException(
                    "burst, windowMs and maxKeys must be positive: "
                            + burst
                            + ", "
                            + windowMs
                            + ", "
                            + maxKeys);
        }
        this.burst = burst;
        this.windowMs = windowMs;
        this.maxKeys = maxKeys;
        this.windows =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                        if (size() <= RepeatLimiter.this.maxKeys) {
                            return false;
                        }
                        if (eldest.getValue().suppressed > 0) {
                            evicted.add(
                                    new Expired(
                                            eldest.getKey(),
                                            eldest.getValue().suppressed,
                                            RepeatLimiter.this.windowMs));
                        }
                        return true;
                    }
                };
    }

    /**
     * Whether the line with {@code key} at {@code nowMs} goes out, and what was held back before.
     */
    public Decision admit(String key, long nowMs) {
        Window w = windows.get(key);
        if (w == null) {
            w = new Window(nowMs);
            windows.put(key, w);
        }
        long before = 0;
        if (nowMs - w.startMs >= windowMs) {
            before = w.suppressed;
            w.startMs = nowMs;
            w.passed = 0;
            w.suppressed = 0;
        }
        if (w.passed < burst) {
            w.passed++;
            return new Decision(true, before, windowMs);
        }
        w.suppressed++;
        return new Decision(false, before, windowMs);
    }

    /**
     * The keys whose window has ended at {@code nowMs} with lines suppressed (their counts are then
     * reset), and those forgotten for want of room.
     */
    public List<Expired> expire(long nowMs) {
        List<Expired> out = new ArrayList<>(evicted);
        evicted.clear();
        for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, Window> e = it.next();
            Window w = e.getValue();
            if (nowMs - w.startMs >= windowMs) {
                if (w.suppressed > 0) {
                    out.add(new Expired(e.getKey(), w.suppressed, windowMs));
                }
                it.remove();
            }
        }
        return out;
    }

    /** Keys tracked now (at most {@code maxKeys}). */
    public int keys() {
        return windows.size();
    }
}

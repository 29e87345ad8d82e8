package dev.fusionnode.logging;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * A java.util.logging handler in front of another: a warning or error whose text repeats (same
 * logger, level, message and exception) goes out {@code burst} times per window, and the lines held
 * back are then reported as one line with their count. Lines below WARNING pass untouched.
 * Thread-safe.
 */
public final class RepeatLimitingHandler extends Handler {
    /** Identical warnings let through per window. */
    public static final int BURST = 5;

    /** The window, in milliseconds. */
    public static final long WINDOW_MS = 60_000;

    /** Distinct warning texts tracked at once. */
    public static final int MAX_KEYS = 512;

    private static final AtomicLong SUPPRESSED = new AtomicLong();
    private static final char SEP = '\u0000';
    private static final long SCAN_EVERY_MS = 1_000;

    private final Handler delegate;
    private final RepeatLimiter limiter;
    private final LongSupplier clock;
    private final Formatter text = new SimpleFormatter();
    private long lastScanMs;

    /** Limits {@code delegate} with the node's bounds on the wall clock. */
    public RepeatLimitingHandler(Handler delegate) {
        this(delegate, new RepeatLimiter(BURST, WINDOW_MS, MAX_KEYS), System::currentTimeMillis);
    }

    /** Limits {@code delegate} with {@code limiter} on {@code clock} (milliseconds). */
    public RepeatLimitingHandler(Handler delegate, RepeatLimiter limiter, LongSupplier clock) {
        this.delegate = delegate;
        this.limiter = limiter;
        this.clock = clock;
        this.lastScanMs = clock.getAsLong();
        setLevel(Level.ALL); // the handler behind applies its own level
    }

    /** Lines held back by every such handler of this JVM since it started. */
    public static long suppressedTotal() {
        return SUPPRESSED.get();
    }

    @Override
    public synchronized void publish(LogRecord r) {
        if (r == null) {
            return;
        }
        long now = clock.getAsLong();
        if (now - lastScanMs >= SCAN_EVERY_MS) {
            lastScanMs = now;
            report(limiter.expire(now));
        }
        if (r.getLevel().intValue() < Level.WARNING.intValue()) {
            delegate.publish(r);
            return;
        }
        String key = keyOf(r);
        RepeatLimiter.Decision d = limiter.admit(key, now);
        if (d.suppressedBefore() > 0) {
            delegate.publish(summary(key, d.suppressedBefore(), d.windowMs()));
        }
        if (d.pass()) {
            delegate.publish(r);
        } else {
            SUPPRESSED.incrementAndGet();
        }
    }

    private void report(List<RepeatLimiter.Expired> expired) {
        for (RepeatLimiter.Expired e : expired) {
            delegate.publish(summary(e.key(), e.suppressed(), e.windowMs()));
        }
    }

    private String keyOf(LogRecord r) {
        StringBuilder k = new StringBuilder();
        k.append(r.getLoggerName()).append(SEP).append(r.getLevel().getName()).append(SEP);
        k.append(text.formatMessage(r));
        Throwable t = r.getThrown();
        if (t != null) {
            k.append(" (").append(t.getClass().getName()).append(": ").append(t.getMessage());
            k.append(')');
        }
        return k.toString();
    }

    private static LogRecord summary(String key, long count, long windowMs) {
        int a = key.indexOf(SEP);
        int b = key.indexOf(SEP, a + 1);
        String message = key.substring(b + 1);
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        LogRecord s =
                new LogRecord(
                        Level.parse(key.substring(a + 1, b)),
                        "repeated "
                                + count
                                + " more times within "
                                + windowMs / 1000
                                + " s, not logged: "
                                + message);
        s.setLoggerName(key.substring(0, a));
        return s;
    }

    @Override
    public synchronized void flush() {
        delegate.flush();
    }

    /** Reports every count still held back, then closes the handler behind. */
    @Override
    public synchronized void close() {
        report(limiter.expire(Long.MAX_VALUE / 2));
        delegate.close();
    }
}

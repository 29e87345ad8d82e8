package dev.fusionnode.testutil;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Waiting for a condition in tests (Awaitility): polls until it holds and fails with what was
 * awaited when the time runs out. Never a fixed sleep.
 */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(50);

    private Await() {}

    /** Waits up to {@code seconds} for {@code condition}. */
    public static void until(BooleanSupplier condition, int seconds, String what) {
        await(seconds, what).until(condition::getAsBoolean);
    }

    /**
     * Waits up to {@code seconds} for {@code supplier}'s value to satisfy {@code done}; returns
     * that value. Exceptions thrown by the supplier (a server not listening yet) are retried.
     */
    public static <T> T value(Callable<T> supplier, Predicate<T> done, int seconds, String what) {
        return await(seconds, what).ignoreExceptions().until(supplier, done::test);
    }

    private static ConditionFactory await(int seconds, String what) {
        return Awaitility.await(what)
                .atMost(Duration.ofSeconds(seconds))
                .pollInterval(POLL)
                .pollDelay(Duration.ZERO);
    }
}

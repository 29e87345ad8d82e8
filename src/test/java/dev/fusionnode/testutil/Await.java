package dev.fusionnode.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Polling waits for tests: fail with what was awaited when the time runs out. */
public final class Await {
    private Await() {}

    /** Waits up to {@code seconds} for {@code condition}, checking every 100 ms. */
    public static void until(BooleanSupplier condition, int seconds, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}

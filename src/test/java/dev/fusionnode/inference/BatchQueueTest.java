package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The queue's two ways of waiting, with a real taker thread: parked it sleeps until a frame comes;
 * spinning it stays runnable, polling the clock, and still takes a frame the moment it is put, a
 * batch at its deadline, and an empty batch when the queue closes.
 */
class BatchQueueTest {
    private static final long MS = 1_000_000L;

    /** A clock the test sets, counting how often it is read. */
    private final AtomicLong now = new AtomicLong();

    private final AtomicLong reads = new AtomicLong();

    private long read() {
        reads.incrementAndGet();
        return now.get();
    }

    /** A taker on a thread of its own, so that the test can see how it waits. */
    private record Taker(Thread thread, CompletableFuture<List<Integer>> batch) {}

    private static Taker take(BatchQueue<Integer> q) {
        CompletableFuture<List<Integer>> batch = new CompletableFuture<>();
        Thread t =
                new Thread(
                        () -> {
                            try {
                                batch.complete(q.take().batch());
                            } catch (Throwable e) {
                                batch.completeExceptionally(e);
                            }
                        },
                        "batch-queue-taker");
        t.setDaemon(true);
        t.start();
        return new Taker(t, batch);
    }

    /** A taker on {@code q} once it is seen polling: it has read the clock over 10,000 times. */
    private Taker spinningTaker(BatchQueue<Integer> q) {
        Taker taker = take(q);
        awaitTrue(() -> reads.get() > 10_000);
        return taker;
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void aParkedTakerSleepsUntilAFrameComes() throws Exception {
        BatchQueue<Integer> q = new BatchQueue<>(new BatchPolicy(1, 0), this::read);
        Taker taker = take(q);
        awaitTrue(() -> taker.thread().getState() == Thread.State.WAITING);
        long readsWhileParked = reads.get();
        q.put(7);
        assertThat(taker.batch().get(10, TimeUnit.SECONDS)).containsExactly(7);
        // parked, it read the clock only on its way in and after the put, not while waiting
        assertThat(reads.get() - readsWhileParked).isLessThan(10);
    }

    @Test
    void aSpinningTakerStaysRunnableAndTakesAFrameTheMomentItIsPut() throws Exception {
        BatchQueue<Integer> q =
                new BatchQueue<Integer>(new BatchPolicy(1, 0), this::read).spinning();
        Taker taker = spinningTaker(q);
        assertThat(taker.thread().getState()).isEqualTo(Thread.State.RUNNABLE);
        assertThat(taker.batch()).isNotDone();
        q.put(7);
        assertThat(taker.batch().get(10, TimeUnit.SECONDS)).containsExactly(7);
    }

    @Test
    void aSpinningTakerSendsAnUnfilledBatchAtItsDeadline() throws Exception {
        BatchQueue<Integer> q =
                new BatchQueue<Integer>(new BatchPolicy(4, 20 * MS), this::read).spinning();
        q.put(1);
        q.put(2);
        Taker taker = spinningTaker(q);
        assertThat(taker.batch()).isNotDone();
        now.set(20 * MS);
        assertThat(taker.batch().get(10, TimeUnit.SECONDS)).containsExactly(1, 2);
    }

    @Test
    void theConfigChoosesHowWorkersWait() {
        assertThat(inference(new JsonObject()).spins()).isFalse();
        assertThat(inference(new JsonObject().put("idle", "spin")).spins()).isTrue();
        assertThatThrownBy(() -> inference(new JsonObject().put("idle", "busy")))
                .hasMessageContaining("idle")
                .hasMessageContaining("[park, spin]")
                .hasMessageContaining("busy");
    }

    private static InferenceOptions inference(JsonObject json) {
        return InferenceOptions.from(new ConfigReader(json, "inference", Map.of()));
    }

    @Test
    void closingEndsASpinningTakerWithAnEmptyBatch() throws Exception {
        BatchQueue<Integer> q =
                new BatchQueue<Integer>(new BatchPolicy(1, 0), this::read).spinning();
        Taker taker = spinningTaker(q);
        q.close();
        assertThat(taker.batch().get(10, TimeUnit.SECONDS)).isEmpty();
    }
}

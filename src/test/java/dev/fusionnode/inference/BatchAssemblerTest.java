package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Verifies the batching rule with a controlled clock: fills under load, waits maxDelay when idle.
 */
class BatchAssemblerTest {
    private static final long MS = 1_000_000L;
    private final BatchAssembler<Integer> a = new BatchAssembler<>(new BatchPolicy(4, 20 * MS));

    @Test
    void underLoadBatchesAreFullAndGoAtOnce() {
        for (int i = 0; i < 10; i++) {
            a.add(i, 0);
        }
        assertThat(a.poll(0).batch()).containsExactly(0, 1, 2, 3);
        assertThat(a.poll(0).batch()).containsExactly(4, 5, 6, 7);
        // two left: not full, not yet due
        BatchAssembler.Poll<Integer> p = a.poll(5 * MS);
        assertThat(p.batch()).isEmpty();
        assertThat(p.waitUntilNanos()).isEqualTo(20 * MS);
        assertThat(a.poll(20 * MS).batch()).containsExactly(8, 9);
    }

    @Test
    void whenIdleALoneFrameWaitsExactlyMaxDelay() {
        a.add(7, 100 * MS);
        assertThat(a.poll(100 * MS).batch()).isEmpty();
        assertThat(a.poll(119 * MS).batch()).isEmpty();
        BatchAssembler.Poll<Integer> p = a.poll(120 * MS);
        assertThat(p.batch()).containsExactly(7);
        assertThat(p.oldestWaitNanos()).isEqualTo(20 * MS);
        assertThat(a.poll(500 * MS).waitUntilNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theDeadlineIsTheOldestFramesAndLaterArrivalsJoinIt() {
        a.add(1, 0);
        a.add(2, 5 * MS);
        assertThat(a.poll(5 * MS).waitUntilNanos()).isEqualTo(20 * MS);
        assertThat(a.poll(20 * MS).batch()).containsExactly(1, 2);
    }

    /**
     * A camera at 10 frames/s cannot fill a batch within 20 ms: once its pace is known, each frame
     * goes at once instead of waiting for a partner that comes 100 ms later.
     */
    @Test
    void aFrameDoesNotWaitForAPartnerDueAfterTheDeadline() {
        a.add(0, 0);
        assertThat(a.poll(0).batch()).isEmpty(); // no pace known yet: it waits
        assertThat(a.poll(20 * MS).batch()).containsExactly(0);
        for (int i = 1; i < 6; i++) {
            a.add(i, i * 100 * MS);
            assertThat(a.poll(i * 100 * MS).batch()).containsExactly(i);
        }
        // frames that come fast again fill batches, and once the pace is learnt (a running
        // average), a lone pair waits for partners again
        for (int i = 0; i < 8; i++) {
            a.add(10 + i, (600 + i) * MS);
        }
        assertThat(a.poll(607 * MS).batch()).containsExactly(10, 11, 12, 13);
        assertThat(a.poll(607 * MS).batch()).containsExactly(14, 15, 16, 17);
        a.add(18, 608 * MS);
        a.add(19, 609 * MS);
        assertThat(a.poll(609 * MS).batch()).isEmpty();
        assertThat(a.poll(628 * MS).batch()).containsExactly(18, 19);
    }

    @Test
    void aBatchFillsTheMomentTheFourthFrameArrives() {
        for (int i = 0; i < 3; i++) {
            a.add(i, i * MS);
            assertThat(a.poll(i * MS).batch()).isEmpty();
        }
        a.add(3, 3 * MS);
        assertThat(a.poll(3 * MS).batch()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void zeroDelayNeverWaits() {
        BatchAssembler<Integer> b = new BatchAssembler<>(new BatchPolicy(8, 0));
        b.add(1, 5);
        assertThat(b.poll(5).batch()).containsExactly(1);
    }

    @Test
    void queueWorkerTakesWhatIsDueAndTheRestOnClose() throws Exception {
        AtomicLong now = new AtomicLong();
        BatchQueue<Integer> q = new BatchQueue<>(new BatchPolicy(2, 20 * MS), now::get);
        for (int i = 0; i < 5; i++) {
            q.put(i);
        }
        List<List<Integer>> batches = new ArrayList<>();
        batches.add(q.take().batch());
        batches.add(q.take().batch());
        q.close();
        batches.add(q.take().batch());
        assertThat(q.take().batch()).isEmpty();
        assertThat(batches).containsExactly(List.of(0, 1), List.of(2, 3), List.of(4));
    }

    /**
     * The learning loop waits for the backlog to empty instead of polling: the wait ends when a
     * worker has taken the last waiting frame, and times out while frames still wait.
     */
    @Test
    void awaitEmptyEndsWhenAWorkerTakesTheLastItem() throws Exception {
        AtomicLong now = new AtomicLong();
        BatchQueue<Integer> q = new BatchQueue<>(new BatchPolicy(2, 0), now::get);
        assertThat(q.awaitEmpty(0)).as("nothing waits").isTrue();
        q.put(1);
        q.put(2);
        q.put(3);
        assertThat(q.awaitEmpty(TimeUnit.MILLISECONDS.toNanos(20))).as("3 wait").isFalse();
        CompletableFuture<Boolean> waiter =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return q.awaitEmpty(TimeUnit.SECONDS.toNanos(30));
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        });
        assertThat(q.take().batch()).containsExactly(1, 2);
        assertThat(waiter).as("one item still waits").isNotDone();
        assertThat(q.take().batch()).containsExactly(3);
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
    }
}

package dev.fusionnode.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Verifies that results come back in submission order even when callbacks would race. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class OrderedWorkerTest {
    private static final int TASKS = 3000;

    /**
     * Verifies the order under the race that broke the replay: instant tasks submitted in bursts
     * from the event loop, some completing before their callback is attached (plain ordered
     * executeBlocking then delivers them early).
     */
    @Test
    void releasesResultsInSubmissionOrder(Vertx vertx, VertxTestContext ctx) {
        WorkerExecutor pool = vertx.createSharedWorkerExecutor("ordered-test", 2);
        List<Integer> seen = new ArrayList<>();
        vertx.runOnContext(
                v -> {
                    OrderedWorker worker = new OrderedWorker(pool);
                    submitBurst(vertx, worker, 0, seen, ctx);
                });
    }

    private void submitBurst(
            Vertx vertx, OrderedWorker worker, int from, List<Integer> seen, VertxTestContext ctx) {
        int to = Math.min(TASKS, from + 50);
        for (int i = from; i < to; i++) {
            int n = i;
            worker.submit(
                    () -> n,
                    ar -> {
                        seen.add(ar.result());
                        if (seen.size() == TASKS) {
                            ctx.verify(
                                    () -> {
                                        for (int k = 0; k < TASKS; k++) {
                                            assertThat(seen.get(k)).isEqualTo(k);
                                        }
                                        assertThat(worker.pending()).isZero();
                                    });
                            ctx.completeNow();
                        }
                    });
            if (n % 7 == 0) {
                busyMicros(200);
            }
        }
        if (to < TASKS) {
            vertx.runOnContext(v -> submitBurst(vertx, worker, to, seen, ctx));
        }
    }

    private static void busyMicros(long micros) {
        long end = System.nanoTime() + micros * 1000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}

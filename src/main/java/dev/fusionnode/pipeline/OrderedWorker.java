package dev.fusionnode.pipeline;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Runs blocking tasks on a worker pool and hands their results back in submission order.
 *
 * <p>{@code executeBlocking(task, ordered = true)} runs tasks one after another, but the completion
 * callbacks can still reach the event loop out of order: a task that finishes before its callback
 * is attached has the callback run at once, ahead of earlier completions already queued on the
 * event loop. Stages whose output order matters (replay reads, projection) submit through this
 * class, which numbers the tasks and releases results strictly by number. Confine an instance to
 * one verticle's context.
 */
public final class OrderedWorker {
    private final WorkerExecutor executor;
    private final Map<Long, Completed<?>> completed = new HashMap<>();
    private long nextTicket;
    private long nextToRelease;
    private Promise<Void> drained;

    private record Completed<T>(AsyncResult<T> result, Handler<AsyncResult<T>> handler) {
        void release() {
            handler.handle(result);
        }
    }

    /** Wraps {@code executor}. */
    public OrderedWorker(WorkerExecutor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Runs {@code task} on the pool; {@code handler} gets its result after the results of all
     * earlier tasks.
     */
    public <T> void submit(Callable<T> task, Handler<AsyncResult<T>> handler) {
        long ticket = nextTicket++;
        executor.executeBlocking(task, true)
                .onComplete(
                        ar -> {
                            completed.put(ticket, new Completed<>(ar, handler));
                            while (completed.containsKey(nextToRelease)) {
                                completed.remove(nextToRelease++).release();
                            }
                            if (drained != null && pending() == 0) {
                                drained.tryComplete();
                            }
                        });
    }

    /** Tasks submitted whose results have not been released yet. */
    public long pending() {
        return nextTicket - nextToRelease;
    }

    /**
     * Waits (up to {@code timeoutMs}) for the submitted tasks to finish, then closes the executor;
     * closing it under queued tasks would have them rejected.
     */
    public Future<Void> close(Vertx vertx, long timeoutMs) {
        if (pending() > 0) {
            drained = Promise.promise();
            long timer = vertx.setTimer(timeoutMs, id -> drained.tryComplete());
            return drained.future()
                    .compose(
                            v -> {
                                vertx.cancelTimer(timer);
                                return executor.close();
                            });
        }
        return executor.close();
    }
}

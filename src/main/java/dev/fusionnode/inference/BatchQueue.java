package dev.fusionnode.inference;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * A thread-safe {@link BatchAssembler}: producers {@link #put} frames, inference workers block in
 * {@link #take} until a batch is due. Time comes from a {@link LongSupplier} of nanoseconds ({@code
 * System::nanoTime} in service).
 *
 * @param <T> queued item
 */
public final class BatchQueue<T> {
    private final BatchAssembler<T> assembler;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition emptied = lock.newCondition();
    private boolean closed;

    /** A queue batching by {@code policy} (by size) on {@code clock}. */
    public BatchQueue(BatchPolicy policy, LongSupplier clock) {
        this.assembler = new BatchAssembler<>(policy);
        this.clock = clock;
    }

    /** A queue batching by {@code policy} on {@code clock}, knowing items' camera and instant. */
    public BatchQueue(
            BatchPolicy policy,
            LongSupplier clock,
            Function<T, String> stream,
            ToLongFunction<T> instant) {
        this.assembler = new BatchAssembler<>(policy, stream, instant);
        this.clock = clock;
    }

    /** Queues an item and wakes a worker. */
    public void put(T item) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("batch queue is closed");
            }
            assembler.add(item, clock.getAsLong());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until a batch is due and returns it; an empty poll result means the queue was closed
     * and is empty.
     */
    public BatchAssembler.Poll<T> take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                BatchAssembler.Poll<T> p = assembler.poll(clock.getAsLong(), closed);
                if (!p.batch().isEmpty() || closed) {
                    if (assembler.size() == 0) {
                        emptied.signalAll();
                    }
                    return p;
                }
                if (p.waitUntilNanos() == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    long wait = p.waitUntilNanos() - clock.getAsLong();
                    if (wait > 0) {
                        changed.await(wait, TimeUnit.NANOSECONDS);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Frames waiting. */
    public int size() {
        lock.lock();
        try {
            return assembler.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until no item waits (all taken by workers) or {@code timeoutNanos} has passed.
     *
     * @return true when the queue is empty
     */
    public boolean awaitEmpty(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (assembler.size() > 0 && !closed) {
                if (left <= 0) {
                    return false;
                }
                left = emptied.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting; workers get the rest, then empty batches. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

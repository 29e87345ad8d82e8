package dev.fusionnode.inference;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * A thread-safe {@link BatchAssembler}: producers {@link #put} frames, inference workers wait in
 * {@link #take} until a batch is due, parked or, when the queue {@linkplain #spinning spins},
 * polling (a busy wait as low-latency systems use on dedicated cores: the worker's core never
 * idles, so the next forward does not start on a core that the hypervisor or the power governor let
 * go cold). Time comes from a {@link LongSupplier} of nanoseconds ({@code System::nanoTime} in
 * service).
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

    /** Bumped by every put and by close: what a spinning taker watches. */
    private volatile long changes;

    private boolean spin;

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

    /**
     * Makes takers poll instead of parking while nothing is due; call before the first {@link
     * #take}.
     *
     * @return this queue
     */
    public BatchQueue<T> spinning() {
        lock.lock();
        try {
            spin = true;
        } finally {
            lock.unlock();
        }
        return this;
    }

    /** Queues an item and wakes a worker. */
    public void put(T item) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("batch queue is closed");
            }
            assembler.add(item, clock.getAsLong());
            changes++;
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
                if (spin) {
                    spinUntil(p.waitUntilNanos());
                } else if (p.waitUntilNanos() == Long.MAX_VALUE) {
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

    /**
     * Polls, with the lock released, until something is put, the queue closes or {@code untilNanos}
     * comes; called and returns with the lock held. Each turn yields, so that a thread ready to run
     * on this core gets it at once; with none, the core stays busy.
     */
    private void spinUntil(long untilNanos) throws InterruptedException {
        long seen = changes;
        lock.unlock();
        try {
            while (changes == seen && clock.getAsLong() < untilNanos) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                Thread.yield();
            }
        } finally {
            lock.lock();
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
            changes++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

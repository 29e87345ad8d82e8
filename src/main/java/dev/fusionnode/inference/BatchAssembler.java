package dev.fusionnode.inference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The batching decision, free of threads and clocks so that it can be tested with a controlled
 * time: frames are {@link #add added} with their arrival time, and {@link #poll} says, for a given
 * time, whether a batch is due (and takes it) or until when to wait. Not thread-safe: {@link
 * BatchQueue} guards it.
 *
 * @param <T> queued item
 */
public final class BatchAssembler<T> {
    private record Waiting<T>(T item, long arrivalNanos) {}

    /**
     * The decision for one moment.
     *
     * @param batch the items to run now, oldest first (empty when none is due)
     * @param waitUntilNanos when to ask again if nothing is due ({@link Long#MAX_VALUE}: nothing
     *     waits)
     * @param oldestWaitNanos how long the oldest item of {@code batch} waited (0 when empty)
     */
    public record Poll<T>(List<T> batch, long waitUntilNanos, long oldestWaitNanos) {}

    private final BatchPolicy policy;
    private final Function<T, String> stream;
    private final ToLongFunction<T> instant;
    private final ArrayDeque<Waiting<T>> queue = new ArrayDeque<>();
    private long lastArrivalNanos = Long.MIN_VALUE;
    private long gapNanos = -1;

    /**
     * An empty assembler for {@code policy} by size.
     *
     * @throws IllegalArgumentException for a policy that groups by instant
     */
    public BatchAssembler(BatchPolicy policy) {
        this(policy, null, null);
        if (policy.grouping() != BatchPolicy.Grouping.SIZE) {
            throw new IllegalArgumentException("grouping by instant needs each item's camera");
        }
    }

    /**
     * An empty assembler for {@code policy}; {@code stream} and {@code instant} give an item's
     * camera and capture time (for grouping by instant).
     */
    public BatchAssembler(
            BatchPolicy policy, Function<T, String> stream, ToLongFunction<T> instant) {
        this.policy = policy;
        this.stream = stream;
        this.instant = instant;
    }

    /** Queues {@code item} that arrived at {@code nowNanos}. */
    public void add(T item, long nowNanos) {
        queue.addLast(new Waiting<>(item, nowNanos));
        if (lastArrivalNanos != Long.MIN_VALUE) {
            long gap = Math.max(0, nowNanos - lastArrivalNanos);
            gapNanos = gapNanos < 0 ? gap : (3 * gapNanos + gap) / 4;
        }
        lastArrivalNanos = nowNanos;
    }

    /**
     * Whether the next item, at the usual gap between arrivals, would come only after {@code due}:
     * then waiting for it adds latency and no batch partner.
     */
    private boolean nextComesTooLate(long due) {
        return gapNanos >= 0 && lastArrivalNanos + gapNanos - due > 0;
    }

    /** Items waiting. */
    public int size() {
        return queue.size();
    }

    /**
     * Takes a batch if one is due at {@code nowNanos}: {@code maxBatch} items wait, or the oldest
     * has waited {@code maxDelay}, or (by size) the next item is expected only after that, at the
     * usual gap between arrivals (a running average), so that a camera too slow to fill a batch
     * does not wait for nothing. Otherwise says until when to wait.
     */
    public Poll<T> poll(long nowNanos) {
        return poll(nowNanos, false);
    }

    /**
     * As {@link #poll(long)}; with {@code force} a batch of what waits (at most {@code maxBatch})
     * is taken at once (for shutdown).
     */
    public Poll<T> poll(long nowNanos, boolean force) {
        if (queue.isEmpty()) {
            return new Poll<>(List.of(), Long.MAX_VALUE, 0);
        }
        long oldest = queue.peekFirst().arrivalNanos();
        long due = oldest + policy.maxDelayNanos();
        if (policy.grouping() == BatchPolicy.Grouping.INSTANT) {
            return pollInstant(nowNanos, force, oldest, due);
        }
        if (!force
                && queue.size() < policy.maxBatch()
                && nowNanos - due < 0
                && !nextComesTooLate(due)) {
            return new Poll<>(List.of(), due, 0);
        }
        int n = Math.min(policy.maxBatch(), queue.size());
        List<T> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(queue.pollFirst().item());
        }
        return new Poll<>(List.copyOf(batch), Long.MAX_VALUE, nowNanos - oldest);
    }

    /**
     * The oldest waiting frame's instant: the first waiting frame of each camera whose capture time
     * is within the tolerance of it (a camera's later frames wait for a later batch, so each
     * camera's order holds).
     */
    private Poll<T> pollInstant(long nowNanos, boolean force, long oldest, long due) {
        long t0 = instant.applyAsLong(queue.peekFirst().item());
        Set<String> seen = new HashSet<>();
        List<Waiting<T>> group = new ArrayList<>();
        for (Waiting<T> w : queue) {
            if (group.size() == policy.fullBatch()) {
                break;
            }
            String camera = stream.apply(w.item());
            if (!seen.add(camera)) {
                continue; // this camera's later frame, or one of another instant
            }
            if (Math.abs(instant.applyAsLong(w.item()) - t0) <= policy.instantToleranceNanos()) {
                group.add(w);
            }
        }
        if (!force && group.size() < policy.fullBatch() && nowNanos - due < 0) {
            return new Poll<>(List.of(), due, 0);
        }
        List<T> batch = new ArrayList<>(group.size());
        for (Waiting<T> w : group) {
            queue.remove(w);
            batch.add(w.item());
        }
        return new Poll<>(List.copyOf(batch), Long.MAX_VALUE, nowNanos - oldest);
    }
}

package dev.fusionnode.publish.mqtt;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The messages waiting for the broker, bounded: when full, the oldest message is dropped to make
 * room for the newest (a stale mask is worth less than a fresh one). Not thread-safe: owned by the
 * publisher's event loop.
 */
final class OutboundBuffer {
    private final Deque<OutgoingMessage> queue = new ArrayDeque<>();
    private final int capacity;
    private long dropped;

    /** A buffer of at most {@code capacity} messages. */
    OutboundBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Queues {@code m}; returns how many older messages were dropped for it (0 or 1). */
    int offer(OutgoingMessage m) {
        int n = 0;
        while (queue.size() >= capacity) {
            queue.pollFirst();
            n++;
        }
        queue.addLast(m);
        dropped += n;
        return n;
    }

    /** The oldest message, or null. */
    OutgoingMessage poll() {
        return queue.pollFirst();
    }

    /** Puts back a message that could not be sent, ahead of the others (unless full). */
    boolean requeue(OutgoingMessage m) {
        if (queue.size() >= capacity) {
            dropped++;
            return false;
        }
        queue.addFirst(m);
        return true;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /** Messages dropped so far. */
    long dropped() {
        return dropped;
    }
}

package dev.fusionnode.inference;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The model in service. {@link #swap} replaces it atomically between batches: workers finish the
 * batch they run on the old model, then take the new one; the old model closes once the last worker
 * has let go of it. No frame is lost.
 */
public final class ModelSlot {
    private final AtomicReference<ServedModel> current;

    /** A slot serving {@code initial} (the slot takes over the caller's reference). */
    public ModelSlot(ServedModel initial) {
        current = new AtomicReference<>(initial);
    }

    /** The model in service, without taking a reference. */
    public ServedModel current() {
        return current.get();
    }

    /** The model in service with a reference taken; release it with {@link ServedModel#release}. */
    public ServedModel acquire() {
        while (true) {
            ServedModel m = current.get();
            if (m.retain()) {
                return m;
            }
        }
    }

    /** Puts {@code next} in service (taking over the caller's reference) and releases the old. */
    public void swap(ServedModel next) {
        ServedModel old = current.getAndSet(next);
        old.release();
    }

    /** Releases the slot's reference (at shutdown). */
    void close() {
        current.get().release();
    }
}

package dev.fusionnode.inference;

import java.time.Duration;

/**
 * What the learning loop may ask of the serving side: the served model (to fine-tune a copy of it),
 * a promotion, and the backlog of frames waiting for the model, so that training yields while
 * serving is behind. Implemented by the inference stage; safe from any thread.
 */
public interface ServingControl {
    /**
     * The model in service with a reference taken, so that it stays open while the caller reads it
     * (a concurrent swap cannot close it); the caller must {@link ServedModel#release} it.
     */
    ServedModel acquire();

    /**
     * Puts {@code next} in service between batches; the old model closes when its last batch is
     * done.
     */
    void swap(ServedModel next);

    /** Frames waiting for a batch. */
    int backlog();

    /**
     * Blocks until no frame waits for a batch, or {@code max} has passed.
     *
     * @return true when the backlog is empty
     */
    boolean awaitNoBacklog(Duration max) throws InterruptedException;
}

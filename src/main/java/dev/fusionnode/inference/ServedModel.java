package dev.fusionnode.inference;

import dev.fusionnode.model.ClftModel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model in service with the preprocessing that belongs to it, reference-counted: the slot holds
 * one reference, each worker's predictor one more; the model closes when the last is released.
 */
public final class ServedModel {
    private final ClftModel model;
    private final InputPreprocessor preprocessor;
    private final AtomicInteger refs = new AtomicInteger(1);

    /** A model with one reference (the caller's). */
    public ServedModel(ClftModel model, InputPreprocessor preprocessor) {
        this.model = model;
        this.preprocessor = preprocessor;
    }

    /** The model. */
    public ClftModel model() {
        return model;
    }

    /** Its input preparation. */
    public InputPreprocessor preprocessor() {
        return preprocessor;
    }

    /** Takes a reference; false if the model is already closed. */
    boolean retain() {
        while (true) {
            int n = refs.get();
            if (n == 0) {
                return false;
            }
            if (refs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference, closing the model with the last one. */
    void release() {
        if (refs.decrementAndGet() == 0) {
            model.close();
        }
    }

    /** Current references (for tests). */
    int references() {
        return refs.get();
    }
}

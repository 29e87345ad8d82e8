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
    private final ModelClasses classes;
    private final String provenance;
    private final AtomicInteger refs = new AtomicInteger(1);

    /** A model with one reference (the caller's), classes by count, no provenance. */
    public ServedModel(ClftModel model, InputPreprocessor preprocessor) {
        this(model, preprocessor, ModelClasses.forCount(model.spec().classes()), "built in memory");
    }

    /**
     * A model with one reference (the caller's).
     *
     * @param classes its class names and colours
     * @param provenance where it came from (config and checkpoint files, or "random")
     */
    public ServedModel(
            ClftModel model,
            InputPreprocessor preprocessor,
            ModelClasses classes,
            String provenance) {
        this.model = model;
        this.preprocessor = preprocessor;
        this.classes = classes;
        this.provenance = provenance;
    }

    /** Its classes. */
    public ModelClasses classes() {
        return classes;
    }

    /** Where it came from. */
    public String provenance() {
        return provenance;
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
    public boolean retain() {
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
    public void release() {
        if (refs.decrementAndGet() == 0) {
            model.close();
        }
    }

    /** Current references (for tests). */
    int references() {
        return refs.get();
    }
}

package dev.fusionnode.model.config;

import java.util.List;

/**
 * The optional {@code Ensemble} block of {@code config/ensemble/*.json} (clft-spec §3.10); the
 * paper's code never reads it.
 *
 * @param models checkpoint paths as written (may contain a {@code *} glob)
 * @param weights one weight per model
 */
public record Ensemble(List<String> models, List<Double> weights) {

    /** Copies the lists. */
    public Ensemble {
        models = List.copyOf(models);
        weights = List.copyOf(weights);
    }

    static Ensemble from(JsonFields f) {
        List<String> models = f.strings("models");
        if (models.isEmpty() || models.stream().anyMatch(String::isBlank)) {
            throw f.invalid("models", "must be a non-empty list of checkpoint paths");
        }
        List<Double> weights = f.numbers("weights", -1);
        if (weights.size() != models.size()) {
            throw f.invalid(
                    "weights",
                    "must have one weight per model ("
                            + models.size()
                            + " models, "
                            + weights.size()
                            + " weights)");
        }
        if (weights.stream().anyMatch(w -> w < 0)) {
            throw f.invalid("weights", "must not be negative, found " + weights);
        }
        return new Ensemble(models, weights);
    }
}

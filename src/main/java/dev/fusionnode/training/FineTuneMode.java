package dev.fusionnode.training;

import java.util.Locale;

/**
 * Which parameters a training updates, by their PyTorch state-dict names: {@code full} (all, as the
 * paper trains), {@code frozen_encoder} (the ViT encoder {@code transformer_encoders.*} stays;
 * reassemble, fusion and head train) or {@code head_only} ({@code head_segmentation.*}). Frozen
 * parameters get no gradient, so their backward work is saved.
 */
public enum FineTuneMode {
    /** Every parameter. */
    FULL,
    /** All but the ViT encoder. */
    FROZEN_ENCODER,
    /** Only the segmentation head. */
    HEAD_ONLY;

    /** True when the parameter of state-dict name {@code name} trains in this mode. */
    public boolean trains(String name) {
        return switch (this) {
            case FULL -> true;
            case FROZEN_ENCODER -> !name.startsWith("transformer_encoders.");
            case HEAD_ONLY -> name.startsWith("head_segmentation.");
        };
    }

    /** Parses {@code full}, {@code frozen_encoder} / {@code frozen-encoder}, {@code head_only}. */
    public static FineTuneMode parse(String s) {
        String n = s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (FineTuneMode m : values()) {
            if (m.name().equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown fine-tune mode '" + s + "'; known: full, frozen_encoder, head_only");
    }
}

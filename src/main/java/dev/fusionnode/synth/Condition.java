package dev.fusionnode.synth;

import java.util.Arrays;
import java.util.Locale;

/**
 * Weather and light of a synthetic sequence, as in the paper's test splits. Night darkens the
 * camera but barely affects the LiDAR; rain and snow add camera streaks and blur and LiDAR
 * drop-outs and spurious near returns.
 */
public enum Condition {
    /** Daylight, dry. */
    DAY_FAIR(false, 0, 0),
    /** Daylight, raining. */
    DAY_RAIN(false, 1, 0),
    /** Night, dry. */
    NIGHT_FAIR(true, 0, 0),
    /** Night, raining. */
    NIGHT_RAIN(true, 1, 0),
    /** Snowing (day). */
    SNOW(false, 0, 1);

    private final boolean night;
    private final double rain;
    private final double snow;

    Condition(boolean night, double rain, double snow) {
        this.night = night;
        this.rain = rain;
        this.snow = snow;
    }

    /** The split-file name ({@code day_fair}, ...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True at night. */
    public boolean night() {
        return night;
    }

    /** Rain intensity, 0..1. */
    public double rain() {
        return rain;
    }

    /** Snow intensity, 0..1. */
    public double snow() {
        return snow;
    }

    /** Probability that a LiDAR beam returns nothing (absorbed or scattered by precipitation). */
    double lidarDropout() {
        return 0.01 + 0.07 * rain + 0.12 * snow;
    }

    /** Probability that a LiDAR beam returns from a drop or flake close to the sensor. */
    double lidarSpurious() {
        return 0.004 * rain + 0.02 * snow;
    }

    /**
     * Looks a condition up by its id.
     *
     * @throws IllegalArgumentException naming the valid ids
     */
    public static Condition fromId(String id) {
        for (Condition c : values()) {
            if (c.id().equals(id.strip().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException(
                "unknown condition '"
                        + id
                        + "'; valid: "
                        + Arrays.stream(values()).map(Condition::id).toList());
    }
}

package dev.fusionnode.model;

import java.util.Locale;

/** Which inputs a CLFT model uses (clft-spec §3.5, AIM semantics). */
public enum ClftMode {
    /** Camera only: the encoder runs on RGB; the RGB reassembles and {@code res_conv_rgb}. */
    RGB("rgb"),
    /** LiDAR only: the encoder runs on the LiDAR image; the XYZ path. */
    LIDAR("lidar"),
    /** Both: the same encoder runs on RGB and on LiDAR, the stages sum both paths. */
    CROSS_FUSION("cross_fusion");

    private final String id;

    ClftMode(String id) {
        this.id = id;
    }

    /** The config's name ({@code CLI.mode}). */
    public String id() {
        return id;
    }

    /** True when the RGB path runs. */
    public boolean usesRgb() {
        return this != LIDAR;
    }

    /** True when the LiDAR path runs. */
    public boolean usesLidar() {
        return this != RGB;
    }

    /**
     * The mode of a config name.
     *
     * @throws IllegalArgumentException naming the valid ones
     */
    public static ClftMode fromId(String id) {
        for (ClftMode m : values()) {
            if (m.id.equals(id.strip().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown CLFT mode '" + id + "'; valid: rgb, lidar, cross_fusion");
    }
}

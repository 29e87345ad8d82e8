package dev.fusionnode.model.config;

import io.vertx.core.json.JsonArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code Dataset.transforms} block: input size, train-time augmentation (clft-spec §4.3) and
 * normalisation statistics (§7.1).
 *
 * @param resize square model input size (optional, {@value #DEFAULT_RESIZE})
 * @param randomRotateRange rotation range in degrees (±)
 * @param pFlip horizontal-flip probability
 * @param pCrop random-resized-crop probability
 * @param pRot rotation probability
 * @param imageMean RGB mean after dividing by 255
 * @param imageStd RGB standard deviation after dividing by 255
 * @param lidarMean LiDAR-image mean; unused by the paper's training (optional, empty)
 * @param lidarStd LiDAR-image standard deviation; unused (optional, empty)
 * @param otherVectors every other key of the block whose value is a list of numbers, such as {@code
 *     lidar_mean_waymo}
 */
public record Transforms(
        int resize,
        double randomRotateRange,
        double pFlip,
        double pCrop,
        double pRot,
        List<Double> imageMean,
        List<Double> imageStd,
        List<Double> lidarMean,
        List<Double> lidarStd,
        Map<String, List<Double>> otherVectors) {

    /** The input size when {@code resize} is absent. */
    public static final int DEFAULT_RESIZE = 384;

    private static final Set<String> KNOWN =
            Set.of(
                    "resize",
                    "random_rotate_range",
                    "p_flip",
                    "p_crop",
                    "p_rot",
                    "image_mean",
                    "image_std",
                    "lidar_mean",
                    "lidar_std");

    /** Copies the collections (the extra vectors keep the file's order). */
    public Transforms {
        imageMean = List.copyOf(imageMean);
        imageStd = List.copyOf(imageStd);
        lidarMean = List.copyOf(lidarMean);
        lidarStd = List.copyOf(lidarStd);
        otherVectors = Collections.unmodifiableMap(new LinkedHashMap<>(otherVectors));
    }

    static Transforms from(JsonFields f) {
        int resize = f.optInteger("resize", DEFAULT_RESIZE, 32, 8192);
        if (resize % 32 != 0) {
            throw f.invalid(
                    "resize",
                    "must be a multiple of 32 so that every decoder stage has whole sizes, found "
                            + resize);
        }
        Map<String, List<Double>> others = new LinkedHashMap<>();
        for (String k : f.fieldNames()) {
            if (!KNOWN.contains(k)
                    && f.raw(k) instanceof JsonArray a
                    && !a.isEmpty()
                    && a.stream().allMatch(e -> e instanceof Number)) {
                others.put(k, f.numbers(k, -1));
            }
        }
        return new Transforms(
                resize,
                f.number("random_rotate_range", 0, 180),
                f.number("p_flip", 0, 1),
                f.number("p_crop", 0, 1),
                f.number("p_rot", 0, 1),
                f.numbers("image_mean", 3),
                positive(f, "image_std", f.numbers("image_std", 3)),
                f.has("lidar_mean") ? f.numbers("lidar_mean", 3) : List.of(),
                f.has("lidar_std")
                        ? positive(f, "lidar_std", f.numbers("lidar_std", 3))
                        : List.of(),
                others);
    }

    private static List<Double> positive(JsonFields f, String key, List<Double> v) {
        if (v.stream().anyMatch(x -> x <= 0)) {
            throw f.invalid(key, "standard deviations must be positive, found " + v);
        }
        return v;
    }
}

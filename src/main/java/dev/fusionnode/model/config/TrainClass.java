package dev.fusionnode.model.config;

import java.util.List;

/**
 * One output channel of the model ({@code Dataset.train_classes}, clft-spec §1.4).
 *
 * @param name class name
 * @param index output channel
 * @param weight cross-entropy weight
 * @param datasetMapping annotation ids relabelled to this class
 * @param color nominal RGB colour for visualisation (clft-spec §7.3)
 */
public record TrainClass(
        String name, int index, double weight, List<Integer> datasetMapping, List<Integer> color) {

    /** Copies the lists. */
    public TrainClass {
        datasetMapping = List.copyOf(datasetMapping);
        color = List.copyOf(color);
    }

    /** The colour packed as {@code 0xRRGGBB}. */
    public int rgb() {
        return (color.get(0) << 16) | (color.get(1) << 8) | color.get(2);
    }

    static TrainClass from(JsonFields f) {
        return new TrainClass(
                f.string("name"),
                f.integer("index", 0, 255),
                f.number("weight", 0, Double.MAX_VALUE),
                f.integers("dataset_mapping", -1, 0, 255),
                f.integers("color", 3, 0, 255));
    }
}

package dev.fusionnode.model.config;

/**
 * One id of the annotation PNGs ({@code Dataset.dataset_classes}).
 *
 * @param name class name
 * @param index pixel value in the annotation PNG, 0..255
 */
public record DatasetClass(String name, int index) {

    static DatasetClass from(JsonFields f) {
        return new DatasetClass(f.string("name"), f.integer("index", 0, 255));
    }
}

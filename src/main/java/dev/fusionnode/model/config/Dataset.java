package dev.fusionnode.model.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code Dataset} block: where the data lies, its annotation ids and the train classes they map
 * to (clft-spec §1.4).
 *
 * @param name dataset name ({@code zod}, {@code iseauto})
 * @param datasetRoot root that split lines are relative to, as written
 * @param annotationPath folder that replaces {@code camera} in a camera path to give its label
 * @param trainSplit train split file, as written
 * @param valSplit validation split file, as written
 * @param transforms input size, augmentation and statistics
 * @param datasetClasses ids of the annotation PNGs
 * @param trainClasses output classes, sorted by index (contiguous from 0)
 */
public record Dataset(
        String name,
        String datasetRoot,
        String annotationPath,
        String trainSplit,
        String valSplit,
        Transforms transforms,
        List<DatasetClass> datasetClasses,
        List<TrainClass> trainClasses) {

    /** Entries of {@link #relabelTable()}: one per uint8 annotation value. */
    public static final int RELABEL_TABLE_SIZE = 256;

    /** Copies the lists and sorts the train classes by index. */
    public Dataset {
        datasetClasses = List.copyOf(datasetClasses);
        trainClasses =
                trainClasses.stream().sorted(Comparator.comparingInt(TrainClass::index)).toList();
    }

    /**
     * The lookup table from annotation id to train index: every id a class lists maps to that
     * class, every other id to 0 (clft-spec §1.4).
     */
    public int[] relabelTable() {
        int[] table = new int[RELABEL_TABLE_SIZE];
        for (TrainClass c : trainClasses) {
            for (int id : c.datasetMapping()) {
                table[id] = c.index();
            }
        }
        return table;
    }

    /** Cross-entropy weights in index order. */
    public float[] classWeights() {
        float[] w = new float[trainClasses.size()];
        for (TrainClass c : trainClasses) {
            w[c.index()] = (float) c.weight();
        }
        return w;
    }

    /** Class names in index order. */
    public List<String> classNames() {
        return trainClasses.stream().map(TrainClass::name).toList();
    }

    /** Colours packed as {@code 0xRRGGBB}, in index order. */
    public int[] classColors() {
        return trainClasses.stream().mapToInt(TrainClass::rgb).toArray();
    }

    static Dataset from(JsonFields f) {
        List<DatasetClass> ids = new ArrayList<>();
        Set<Integer> known = new TreeSet<>();
        for (JsonFields c : f.objects("dataset_classes")) {
            DatasetClass d = DatasetClass.from(c);
            if (!known.add(d.index())) {
                throw c.invalid("index", "dataset id " + d.index() + " is listed twice");
            }
            ids.add(d);
        }
        List<TrainClass> classes = new ArrayList<>();
        Map<Integer, String> mappedBy = new HashMap<>();
        for (JsonFields c : f.objects("train_classes")) {
            TrainClass t = TrainClass.from(c);
            for (int id : t.datasetMapping()) {
                if (!known.contains(id)) {
                    throw c.invalid(
                            "dataset_mapping",
                            "dataset id " + id + " is not in Dataset.dataset_classes " + known);
                }
                String previous = mappedBy.putIfAbsent(id, t.name());
                if (previous != null) {
                    throw c.invalid(
                            "dataset_mapping",
                            "dataset id " + id + " is already mapped to '" + previous + "'");
                }
            }
            classes.add(t);
        }
        checkContiguous(f, classes);
        return new Dataset(
                f.string("name"),
                f.string("dataset_root"),
                f.string("annotation_path"),
                f.string("train_split"),
                f.string("val_split"),
                Transforms.from(f.object("transforms")),
                ids,
                classes);
    }

    private static void checkContiguous(JsonFields f, List<TrainClass> classes) {
        List<Integer> indices = classes.stream().map(TrainClass::index).sorted().toList();
        for (int i = 0; i < indices.size(); i++) {
            if (indices.get(i) != i) {
                throw f.invalid(
                        "train_classes",
                        "train indices must be 0.."
                                + (classes.size() - 1)
                                + ", each once (contiguous from 0, clft-spec §7.6), found "
                                + indices);
            }
        }
        if (classes.size() < 2) {
            throw f.invalid("train_classes", "a model needs at least 2 train classes");
        }
    }
}

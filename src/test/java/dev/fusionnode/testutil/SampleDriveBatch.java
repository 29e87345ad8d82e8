package dev.fusionnode.testutil;

import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.io.SplitFile;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.training.Augmentation;
import dev.fusionnode.training.SampleLoader;
import dev.fusionnode.training.TrainingSample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Training batches of real annotated sample-drive frames, and the micro config at other sizes. */
public final class SampleDriveBatch {
    private SampleDriveBatch() {}

    /**
     * The sample drive's train-split lines {@code lines} as training samples of {@code config}'s
     * model (augmentation off).
     */
    public static List<TrainingSample> of(PaperConfig config, int... lines) {
        Path root = Path.of("recordings/sample-drive");
        List<String> split = SplitFile.read(root.resolve("train.txt"));
        SampleLoader loader = SampleLoader.of(config.modelSpec(), config, Augmentation.NONE);
        List<TrainingSample> batch = new ArrayList<>();
        for (int i : lines) {
            DatasetFrame f =
                    DatasetLayout.ZOD.resolve(
                            root, split.get(i), "annotation_camera_only", i, "train.txt");
            batch.add(loader.load(f, new Random(0)));
        }
        return batch;
    }

    /**
     * Writes {@code config/zod/clft/micro_fusion.json} with its input resized to {@code size} into
     * {@code dir} and returns the file.
     */
    public static Path microConfigAt(int size, Path dir) {
        try {
            Path cfg = dir.resolve("micro" + size + ".json");
            Files.writeString(
                    cfg,
                    Files.readString(Path.of("config/zod/clft/micro_fusion.json"))
                            .replace("\"resize\": 384", "\"resize\": " + size));
            return cfg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.fusionnode.model.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The paths of a {@link PaperConfig}, resolved against a base directory. The paper's scripts
 * resolve them against the working directory; callers here pass the directory explicitly.
 *
 * @param datasetRoot {@code Dataset.dataset_root}
 * @param trainSplit {@code Dataset.train_split}
 * @param valSplit {@code Dataset.val_split}
 * @param testSplitDir {@code CLI.path}, the directory of the {@code test_*.txt} files
 * @param logDir {@code Log.logdir}
 * @param predictedImages {@code General.path_predicted_images}
 * @param modelPath {@code General.model_path}; empty when the file gives {@code ""}
 * @param ensembleModels {@code Ensemble.models}; empty without an ensemble block
 */
public record PaperPaths(
        Path datasetRoot,
        Path trainSplit,
        Path valSplit,
        Path testSplitDir,
        Path logDir,
        Path predictedImages,
        Optional<Path> modelPath,
        List<Path> ensembleModels) {

    /** Copies the list. */
    public PaperPaths {
        ensembleModels = List.copyOf(ensembleModels);
    }

    /**
     * Resolves a path as written in a config: absolute paths stay, relative ones ({@code
     * ./zod_dataset}) are resolved against {@code base}; the result is normalised.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Path resolve(Path base, String path) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(path, "path");
        Path p = Path.of(path);
        return (p.isAbsolute() ? p : base.resolve(p)).normalize();
    }

    /**
     * The paths of {@code config} resolved against {@code base}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static PaperPaths of(PaperConfig config, Path base) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(base, "base");
        Dataset d = config.dataset();
        String model = config.general().modelPath();
        return new PaperPaths(
                resolve(base, d.datasetRoot()),
                resolve(base, d.trainSplit()),
                resolve(base, d.valSplit()),
                resolve(base, config.cli().path()),
                resolve(base, config.log().logdir()),
                resolve(base, config.general().pathPredictedImages()),
                model.isBlank() ? Optional.empty() : Optional.of(resolve(base, model)),
                config.ensemble()
                        .map(e -> e.models().stream().map(m -> resolve(base, m)).toList())
                        .orElse(List.of()));
    }
}

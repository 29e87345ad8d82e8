package dev.fusionnode.cli;

import dev.fusionnode.model.config.PaperConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options shared by {@code train}, {@code test} and {@code visualize}: the paper's config file
 * read unchanged, and overrides of its data and log folders.
 */
final class PaperConfigOptions {
    @Option(
            names = {"-c", "--config"},
            required = true,
            description = "Paper-format config JSON (config/zod/clft/*.json, ...).")
    Path config;

    @Option(
            names = "--data",
            description =
                    "Dataset folder to use instead of the config's: dataset_root, its train.txt,"
                            + " validation.txt and test_*.txt.")
    Path data;

    @Option(names = "--logdir", description = "Log folder instead of the config's Log.logdir.")
    Path logdir;

    /** The config with the overrides applied. */
    PaperConfig load() {
        PaperConfig cfg = PaperConfig.read(config);
        if (data != null) {
            cfg = cfg.withDataDir(data);
        }
        return logdir == null ? cfg : cfg.withLogDir(logdir);
    }
}

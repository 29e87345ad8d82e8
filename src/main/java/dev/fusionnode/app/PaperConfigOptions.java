package dev.fusionnode.app;

import dev.fusionnode.model.config.PaperConfig;
import io.vertx.core.json.JsonObject;
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
        if (data == null && logdir == null) {
            return cfg;
        }
        JsonObject json = cfg.json().copy();
        if (data != null) {
            String root = data.toString();
            JsonObject ds = json.getJsonObject("Dataset");
            ds.put("dataset_root", root);
            ds.put("train_split", data.resolve("train.txt").toString());
            ds.put("val_split", data.resolve("validation.txt").toString());
            json.getJsonObject("CLI").put("path", root);
        }
        if (logdir != null) {
            json.getJsonObject("Log").put("logdir", logdir.toString());
        }
        return PaperConfig.fromJson(json, cfg.source());
    }
}

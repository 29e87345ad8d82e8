package dev.fusionnode.model.config;

import dev.fusionnode.config.ConfigException;
import dev.fusionnode.model.ClftSpec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A CLFT config file in the AIM trainer's schema (clft-spec §6), such as {@code
 * config/zod/clft/config_8.json}. Keys this reader does not know are kept in {@link #json()} and
 * otherwise ignored; missing required keys and wrong types fail with a {@link ConfigException} that
 * names the file and the JSON path. Paths are kept as written; the {@code resolve} methods resolve
 * relative ones against a base directory the caller gives (the paper uses the working directory).
 *
 * @param source the file (or other source) named in errors
 * @param summary {@code Summary} (optional, empty)
 * @param tags {@code tags} (optional, empty)
 * @param cli {@code CLI}
 * @param general {@code General}
 * @param log {@code Log}
 * @param clft {@code CLFT}
 * @param dataset {@code Dataset}
 * @param ensemble {@code Ensemble}, present only in ensemble configs
 * @param json the whole document, unknown keys included
 */
public record PaperConfig(
        String source,
        String summary,
        List<String> tags,
        Cli cli,
        General general,
        Log log,
        Clft clft,
        Dataset dataset,
        Optional<Ensemble> ensemble,
        JsonObject json) {

    /** Copies the tags and the document. */
    public PaperConfig {
        tags = List.copyOf(tags);
        json = json.copy();
    }

    /**
     * Reads and validates a config file.
     *
     * @throws ConfigException naming the file and the JSON path of the first invalid value
     * @throws NullPointerException if {@code file} is null
     */
    public static PaperConfig read(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "(file)", "cannot read config file: " + e);
        }
        JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (DecodeException e) {
            throw new ConfigException(
                    file.toString(), "(file)", "not valid JSON: " + e.getMessage());
        }
        return fromJson(json, file.toString());
    }

    /**
     * Validates a parsed config; {@code source} names it in errors.
     *
     * @throws ConfigException naming the source and the JSON path of the first invalid value
     * @throws NullPointerException if an argument is null
     */
    public static PaperConfig fromJson(JsonObject json, String source) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(source, "source");
        JsonFields f = new JsonFields(json, source, "");
        PaperConfig c =
                new PaperConfig(
                        source,
                        f.optString("Summary", ""),
                        f.has("tags") ? f.strings("tags") : List.of(),
                        Cli.from(f.object("CLI")),
                        General.from(f.object("General")),
                        Log.from(f.object("Log")),
                        Clft.from(f.object("CLFT")),
                        Dataset.from(f.object("Dataset")),
                        f.optObject("Ensemble").map(Ensemble::from),
                        json);
        try {
            c.modelSpec();
        } catch (IllegalArgumentException e) {
            throw f.invalid("CLFT", e.getMessage());
        }
        return c;
    }

    /**
     * The same config reading its data from {@code dir}: {@code Dataset.dataset_root} and {@code
     * CLI.path} (the test splits) are {@code dir}, the train and validation splits its {@code
     * train.txt} and {@code validation.txt}.
     */
    public PaperConfig withDataDir(Path dir) {
        JsonObject doc = json();
        JsonObject ds = doc.getJsonObject("Dataset");
        ds.put("dataset_root", dir.toString());
        ds.put("train_split", dir.resolve("train.txt").toString());
        ds.put("val_split", dir.resolve("validation.txt").toString());
        doc.getJsonObject("CLI").put("path", dir.toString());
        return fromJson(doc, source);
    }

    /** The same config logging to {@code dir} ({@code Log.logdir}). */
    public PaperConfig withLogDir(Path dir) {
        JsonObject doc = json();
        doc.getJsonObject("Log").put("logdir", dir.toString());
        return fromJson(doc, source);
    }

    /** {@return a copy of the whole document, unknown keys included} */
    @Override
    public JsonObject json() {
        return json.copy();
    }

    /**
     * The model this config trains: backbone from {@code CLFT.model_timm}, mode from {@code
     * CLI.mode}, one output channel per train class, input size {@code Dataset.transforms.resize}.
     */
    public ClftSpec modelSpec() {
        return new ClftSpec(
                clft.backbone(),
                clft.embDim(),
                clft.hooks(),
                clft.resampleDim(),
                clft.reassembles(),
                clft.read(),
                numClasses(),
                clft.patchSize(),
                dataset.transforms().resize(),
                cli.mode());
    }

    /**
     * The config's paths resolved against {@code base} (the paper resolves them against its working
     * directory).
     *
     * @throws NullPointerException if {@code base} is null
     */
    public PaperPaths paths(Path base) {
        return PaperPaths.of(this, base);
    }

    /** Output channels = number of train classes. */
    public int numClasses() {
        return dataset.trainClasses().size();
    }

    /** See {@link Dataset#relabelTable()}: 256 entries, dataset id to train index, unmapped 0. */
    public int[] relabelTable() {
        return dataset.relabelTable();
    }

    /** Cross-entropy weights in train-index order. */
    public float[] classWeights() {
        return dataset.classWeights();
    }

    /** Train class names in index order. */
    public List<String> classNames() {
        return dataset.classNames();
    }

    /** Train class colours as {@code 0xRRGGBB}, in index order. */
    public int[] classColors() {
        return dataset.classColors();
    }
}

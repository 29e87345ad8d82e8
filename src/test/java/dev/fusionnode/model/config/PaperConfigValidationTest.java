package dev.fusionnode.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that bad paper configs fail with the file and the JSON path, and path resolution. */
class PaperConfigValidationTest {
    private static final Path CONFIG_8 = Path.of("config/zod/clft/config_8.json");

    @TempDir Path dir;

    /** Writes config_8 with one change as {@code config_8.json} in the temp dir. */
    private Path config8With(Consumer<JsonObject> change) throws IOException {
        JsonObject json = new JsonObject(Files.readString(CONFIG_8));
        change.accept(json);
        Path f = dir.resolve("config_8.json");
        Files.writeString(f, json.encodePrettily());
        return f;
    }

    private static JsonObject clft(JsonObject root) {
        return root.getJsonObject("CLFT");
    }

    private static JsonArray trainClasses(JsonObject root) {
        return root.getJsonObject("Dataset").getJsonArray("train_classes");
    }

    /** Verifies that a missing CLFT block names the file and the block. */
    @Test
    void missingClftBlock() throws IOException {
        Path f = config8With(j -> j.remove("CLFT"));
        assertThatThrownBy(() -> PaperConfig.read(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config_8.json")
                .hasMessageContaining("'CLFT'")
                .hasMessageContaining("missing");
    }

    /** Verifies that three hooks fail as "CLFT.hooks must be a list of 4 integers". */
    @Test
    void threeHooks() throws IOException {
        Path f = config8With(j -> clft(j).put("hooks", new JsonArray().add(2).add(5).add(8)));
        assertThatThrownBy(() -> PaperConfig.read(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config_8.json")
                .hasMessageContaining("CLFT.hooks")
                .hasMessageContaining("must be a list of 4 integers, found [2,5,8]");
        Path g =
                config8With(
                        j -> clft(j).put("hooks", new JsonArray().add(2).add(5).add(8).add(12)));
        assertThatThrownBy(() -> PaperConfig.read(g))
                .hasMessageContaining("CLFT.hooks")
                .hasMessageContaining("block 12 does not exist");
    }

    /** Verifies that train indices 0, 1, 2, 4 are rejected as not contiguous. */
    @Test
    void nonContiguousTrainIndices() throws IOException {
        Path f = config8With(j -> trainClasses(j).getJsonObject(3).put("index", 4));
        assertThatThrownBy(() -> PaperConfig.read(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config_8.json")
                .hasMessageContaining("Dataset.train_classes")
                .hasMessageContaining("contiguous from 0")
                .hasMessageContaining("[0, 1, 2, 4]");
        Path g = config8With(j -> trainClasses(j).getJsonObject(3).put("index", 2));
        assertThatThrownBy(() -> PaperConfig.read(g)).hasMessageContaining("[0, 1, 2, 2]");
    }

    /** Verifies that an unknown timm model names the field and the known backbones. */
    @Test
    void unknownModelTimm() throws IOException {
        Path f = config8With(j -> clft(j).put("model_timm", "vit_huge_patch14_224"));
        assertThatThrownBy(() -> PaperConfig.read(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config_8.json")
                .hasMessageContaining("CLFT.model_timm")
                .hasMessageContaining("vit_huge_patch14_224")
                .hasMessageContaining("vit_base_resnet50_384");
    }

    /** Verifies wrong types and values elsewhere, each with its JSON path. */
    @Test
    void wrongTypesNameTheirPath() throws IOException {
        assertThatThrownBy(() -> PaperConfig.read(config8With(j -> clft(j).put("emb_dim", "768"))))
                .hasMessageContaining("CLFT.emb_dim")
                .hasMessageContaining("must be an integer, found \"768\"");
        assertThatThrownBy(() -> PaperConfig.read(config8With(j -> clft(j).put("emb_dim", 1024))))
                .hasMessageContaining("CLFT.emb_dim")
                .hasMessageContaining("768");
        assertThatThrownBy(
                        () ->
                                PaperConfig.read(
                                        config8With(
                                                j -> j.getJsonObject("CLI").put("mode", "radar"))))
                .hasMessageContaining("CLI.mode")
                .hasMessageContaining("rgb, lidar, cross_fusion");
        assertThatThrownBy(
                        () ->
                                PaperConfig.read(
                                        config8With(
                                                j ->
                                                        trainClasses(j)
                                                                .getJsonObject(1)
                                                                .put(
                                                                        "color",
                                                                        new JsonArray().add(1)))))
                .hasMessageContaining("Dataset.train_classes[1].color")
                .hasMessageContaining("list of 3 integers");
        assertThatThrownBy(
                        () ->
                                PaperConfig.read(
                                        config8With(
                                                j ->
                                                        trainClasses(j)
                                                                .getJsonObject(2)
                                                                .put(
                                                                        "dataset_mapping",
                                                                        new JsonArray().add(2)))))
                .hasMessageContaining("Dataset.train_classes[2].dataset_mapping")
                .hasMessageContaining("already mapped to 'vehicle'");
        assertThatThrownBy(
                        () ->
                                PaperConfig.read(
                                        config8With(
                                                j ->
                                                        j.getJsonObject("Dataset")
                                                                .getJsonObject("transforms")
                                                                .remove("image_std"))))
                .hasMessageContaining("Dataset.transforms.image_std")
                .hasMessageContaining("missing");
        assertThatThrownBy(
                        () ->
                                PaperConfig.read(
                                        config8With(
                                                j ->
                                                        j.getJsonObject("General")
                                                                .put("resume_training", "no"))))
                .hasMessageContaining("General.resume_training")
                .hasMessageContaining("true or false");
    }

    /** Verifies that unreadable and malformed files name the file. */
    @Test
    void missingAndMalformedFiles() throws IOException {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> PaperConfig.read(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.json")
                .hasMessageContaining("cannot read");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"CLFT\": ");
        assertThatThrownBy(() -> PaperConfig.read(bad))
                .hasMessageContaining("bad.json")
                .hasMessageContaining("not valid JSON");
    }

    /** Verifies that unknown keys are kept and ignored, and that optional keys have defaults. */
    @Test
    void unknownKeysAreKept() throws IOException {
        Path f =
                config8With(
                        j -> {
                            j.put("Extra", new JsonObject().put("x", 1));
                            clft(j).put("something_new", true).remove("loss_depth");
                            j.remove("Summary");
                        });
        PaperConfig c = PaperConfig.read(f);
        assertThat(c.json().getJsonObject("Extra").getInteger("x")).isEqualTo(1);
        assertThat(c.clft().lossDepth()).isEqualTo("ssi");
        assertThat(c.summary()).isEmpty();
        c.json().put("Extra", "changed");
        assertThat(c.json().getValue("Extra")).isInstanceOf(JsonObject.class);
    }

    /** Verifies that relative paths resolve against the given base and absolute ones stay. */
    @Test
    void pathsResolveAgainstTheBase() throws IOException {
        Path base = Path.of("/srv/clft");
        PaperPaths p = PaperConfig.read(CONFIG_8).paths(base);
        assertThat(p.datasetRoot()).isEqualTo(Path.of("/srv/clft/zod_dataset"));
        assertThat(p.trainSplit()).isEqualTo(Path.of("/srv/clft/zod_dataset/train.txt"));
        assertThat(p.valSplit()).isEqualTo(Path.of("/srv/clft/zod_dataset/validation.txt"));
        assertThat(p.testSplitDir()).isEqualTo(Path.of("/srv/clft/zod_dataset"));
        assertThat(p.logDir()).isEqualTo(Path.of("/srv/clft/logs/zod/clft/config_8"));
        assertThat(p.predictedImages()).isEqualTo(Path.of("/srv/clft/output"));
        assertThat(p.modelPath()).isEqualTo(Optional.empty());
        assertThat(p.ensembleModels()).isEmpty();
        Path f =
                config8With(
                        j ->
                                j.getJsonObject("Dataset")
                                        .put("dataset_root", "/data/zod")
                                        .put("train_split", "../elsewhere/train.txt"));
        PaperPaths q = PaperConfig.read(f).paths(base);
        assertThat(q.datasetRoot()).isEqualTo(Path.of("/data/zod"));
        assertThat(q.trainSplit()).isEqualTo(Path.of("/srv/elsewhere/train.txt"));
    }
}

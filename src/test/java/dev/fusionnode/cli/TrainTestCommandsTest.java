package dev.fusionnode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.testutil.SampleSplits;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code train} then {@code test} on a few sample-drive frames, from the paper's config file with
 * {@code --data} and {@code --logdir}: the trainer's log layout (best 2 of 3 checkpoints kept,
 * per-epoch JSON, provenance, curves PNG), a kept checkpoint loads, and {@code test} writes the
 * per-condition results whose overall mIoU is the unweighted mean of the conditions'.
 */
class TrainTestCommandsTest {
    @TempDir Path dir;

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new FusionNode()).execute(args);
            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void focalDiceLossIsRecorded() throws Exception {
        Path data =
                SampleSplits.create(
                        dir.resolve("fd"),
                        Map.of("train.txt", new int[] {0, 1}, "validation.txt", new int[] {40}));
        Path logs = dir.resolve("fd-logs");
        String out =
                run(
                        "train",
                        "-c",
                        "config/zod/clft/demo_fusion.json",
                        "--data",
                        data.toString(),
                        "--logdir",
                        logs.toString(),
                        "--epochs",
                        "1",
                        "--batch-size",
                        "2",
                        "--no-augment",
                        "--loss",
                        "focal_dice",
                        "--gamma",
                        "1.5",
                        "--dice-weight",
                        "0.5");
        assertThat(out).contains("best epoch");
        io.vertx.core.json.JsonObject provenance =
                new io.vertx.core.json.JsonObject(Files.readString(logs.resolve("training.json")));
        assertThat(provenance.getJsonObject("hyperParameters").getString("loss"))
                .isEqualTo("weighted focal, gamma 1.5 + 0.5 x soft Dice");
    }

    @Test
    void trainsAndTestsInThePapersLayout() throws Exception {
        Path sample = Path.of("recordings/sample-drive").toAbsolutePath();
        Path data =
                SampleSplits.create(
                        dir.resolve("data"),
                        Map.of(
                                "train.txt", new int[] {0, 1, 2, 3},
                                "validation.txt", new int[] {40, 41},
                                "test_day_fair.txt", new int[] {10, 11},
                                "test_snow.txt", new int[] {90, 91}));
        Path logs = dir.resolve("logs");
        String config = "config/zod/clft/micro_fusion.json";

        String out =
                run(
                        "train",
                        "-c",
                        config,
                        "--data",
                        data.toString(),
                        "--logdir",
                        logs.toString(),
                        "--epochs",
                        "3",
                        "--batch-size",
                        "2",
                        "--lr",
                        "1e-3",
                        "--no-augment");
        assertThat(out).contains("best epoch").contains("training throughput");
        List<Path> checkpoints = list(logs.resolve("checkpoints"));
        assertThat(checkpoints)
                .hasSize(2)
                .allMatch(p -> p.getFileName().toString().matches("epoch_\\d_[0-9a-f-]{36}\\.pth"));
        List<Path> epochs = list(logs.resolve("epochs"));
        assertThat(epochs).hasSize(3);
        JsonObject e = new JsonObject(Files.readString(epochs.get(0)));
        assertThat(e.getJsonObject("results").getJsonObject("val").fieldNames())
                .contains("vehicle", "sign", "human", "loss", "mean_iou");
        JsonObject prov = new JsonObject(Files.readString(logs.resolve("training.json")));
        assertThat(prov.getJsonObject("hyperParameters").getDouble("lr")).isEqualTo(1e-3);
        assertThat(prov.getLong("seed")).isZero();
        assertThat(prov.getJsonObject("data").getInteger("trainFrames")).isEqualTo(4);
        assertThat(prov.getString("gitRevision")).isNotBlank();
        assertThat(logs.resolve("curves.png")).isRegularFile();
        assertThat(Files.size(logs.resolve("curves.png"))).isGreaterThan(5_000);
        PaperConfig cfg = PaperConfig.read(Path.of(config));
        try (ClftModel m =
                ClftModel.load(cfg.modelSpec(), checkpoints.get(0), ai.djl.Device.cpu())) {
            assertThat(m.version()).contains("@epoch");
        }

        String test =
                run("test", "-c", config, "--data", data.toString(), "--logdir", logs.toString());
        assertThat(test).contains("day_fair").contains("snow").contains("overall");
        List<Path> results = list(logs.resolve("test_results"));
        assertThat(results).hasSize(1);
        JsonObject r =
                new JsonObject(Files.readString(results.get(0))).getJsonObject("test_results");
        assertThat(r.fieldNames()).containsExactlyInAnyOrder("day_fair", "snow", "overall");
        double mean =
                (r.getJsonObject("day_fair").getJsonObject("overall").getDouble("mIoU_foreground")
                                + r.getJsonObject("snow")
                                        .getJsonObject("overall")
                                        .getDouble("mIoU_foreground"))
                        / 2;
        assertThat(r.getJsonObject("overall").getDouble("mIoU_foreground")).isEqualTo(mean);

        Path vis = dir.resolve("vis");
        run(
                "visualize",
                "-c",
                config,
                "--data",
                data.toString(),
                "--logdir",
                logs.toString(),
                "--out",
                vis.toString());
        for (String kind : List.of("segment", "overlay", "compare", "correct_only")) {
            assertThat(list(vis.resolve(kind))).as(kind).hasSize(4);
        }
        var cmp = ImageCodec.read(list(vis.resolve("compare")).get(0), ImageCodec.Channels.RGB);
        var cam =
                ImageCodec.read(
                        sample.resolve("camera")
                                .resolve(list(vis.resolve("compare")).get(0).getFileName()),
                        ImageCodec.Channels.RGB);
        assertThat(cmp.width()).isEqualTo(cam.width());
        assertThat(cmp.height()).isEqualTo(cam.height());
        for (int y = 0; y < cmp.height(); y += 7) {
            for (int x = 0; x < cmp.width(); x += 7) {
                int rgb = (cmp.get(x, y, 0) << 16) | (cmp.get(x, y, 1) << 8) | cmp.get(x, y, 2);
                assertThat(rgb)
                        .as("compare pixels are black, green or red")
                        .isIn(0, 0x00ff00, 0xff0000);
            }
        }
    }

    private static List<Path> list(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> !p.toString().endsWith(".tmp")).sorted().toList();
        }
    }
}

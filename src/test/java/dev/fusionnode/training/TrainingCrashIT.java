package dev.fusionnode.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.fusionnode.cli.FusionNode;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.testutil.SampleSplits;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code train} process SIGKILLed in its second epoch leaves only complete files: every
 * checkpoint it wrote loads, every epoch log parses, and the next {@code test} picks the best kept
 * checkpoint. A run started again in the same log folder clears the leftovers of the interrupted
 * write.
 */
class TrainingCrashIT {
    @TempDir Path dir;

    @Test
    void killedTrainingLeavesLoadableCheckpoints() throws Exception {
        Path data =
                SampleSplits.create(
                        dir.resolve("data"),
                        Map.of(
                                "train.txt",
                                new int[] {0, 1, 2, 3},
                                "validation.txt",
                                new int[] {40}));
        Path logs = dir.resolve("logs");
        String config = "config/zod/clft/micro_fusion.json";
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                FusionNode.class.getName(),
                                "train",
                                "-c",
                                config,
                                "--data",
                                data.toString(),
                                "--logdir",
                                logs.toString(),
                                "--epochs",
                                "50",
                                "--batch-size",
                                "2",
                                "--no-augment")
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("train.log").toFile())
                        .start();
        // killed as soon as the second epoch's log is written: inside the third epoch, or still
        // writing the second one's checkpoint files
        Awaitility.await("two epochs written (see " + dir.resolve("train.log") + ")")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(20))
                .failFast("the trainer exited", () -> !p.isAlive())
                .until(() -> countJson(logs.resolve("epochs")) >= 2);
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        PaperConfig cfg = PaperConfig.read(Path.of(config));
        List<Path> checkpoints = list(logs.resolve("checkpoints"), ".pth");
        assertThat(checkpoints).isNotEmpty();
        for (Path c : checkpoints) {
            try (ClftModel m = ClftModel.load(cfg.modelSpec(), c, Device.cpu())) {
                assertThat(m.version()).contains("@epoch");
            }
        }
        for (Path e : list(logs.resolve("epochs"), ".json")) {
            assertThat(new JsonObject(Files.readString(e)).getInteger("epoch")).isNotNull();
        }
        Path best = ModelEvaluation.bestCheckpoint(logs);
        assertThat(checkpoints).contains(best);

        TrainingRun.clearLeftovers(logs);
        try (Stream<Path> files = Files.walk(logs)) {
            assertThat(files.filter(f -> f.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    private static long countJson(Path d) throws Exception {
        if (!Files.isDirectory(d)) {
            return 0;
        }
        return list(d, ".json").size();
    }

    private static List<Path> list(Path d, String suffix) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}

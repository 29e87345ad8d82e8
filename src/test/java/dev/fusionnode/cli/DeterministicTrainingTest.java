package dev.fusionnode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.model.checkpoint.Checkpoint;
import dev.fusionnode.model.checkpoint.TorchTensor;
import dev.fusionnode.testutil.Console;
import dev.fusionnode.testutil.SampleDriveBatch;
import dev.fusionnode.testutil.SampleSplits;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code train} is a function of its seed: the same job twice (random initialisation, shuffled data
 * order and augmentation all drawn from {@code --seed}, one libtorch thread) writes bit-identical
 * weights, and another seed writes other weights. The seed is in the provenance.
 */
class DeterministicTrainingTest {
    @TempDir Path dir;

    @Test
    void theSameSeedGivesBitIdenticalWeights() throws Exception {
        Path data =
                SampleSplits.create(
                        dir.resolve("data"),
                        Map.of(
                                "train.txt", new int[] {0, 5, 10, 15, 20, 25},
                                "validation.txt", new int[] {40}));
        Path config = SampleDriveBatch.microConfigAt(64, dir);
        Map<String, TorchTensor> first = train(data, config, "a", 5);
        Map<String, TorchTensor> again = train(data, config, "b", 5);
        Map<String, TorchTensor> other = train(data, config, "c", 6);
        assertThat(first.keySet()).isEqualTo(again.keySet());
        List<String> differ =
                first.keySet().stream()
                        .filter(
                                k ->
                                        !Arrays.equals(
                                                first.get(k).toFloats(), again.get(k).toFloats()))
                        .toList();
        assertThat(differ).as("tensors that differ between two runs with seed 5").isEmpty();
        long changed =
                first.keySet().stream()
                        .filter(
                                k ->
                                        !Arrays.equals(
                                                first.get(k).toFloats(), other.get(k).toFloats()))
                        .count();
        assertThat(changed).as("tensors that differ between seeds 5 and 6").isPositive();
        JsonObject provenance = new JsonObject(Files.readString(dir.resolve("a/training.json")));
        assertThat(provenance.getLong("seed")).isEqualTo(5);
        assertThat(provenance.getString("init")).isEqualTo("random (seed 5)");
    }

    private Map<String, TorchTensor> train(Path data, Path config, String name, long seed)
            throws Exception {
        Path logs = dir.resolve(name);
        Console.Printed r =
                Console.capture(
                        () ->
                                new CommandLine(new FusionNode())
                                        .execute(
                                                "train",
                                                "-c",
                                                config.toString(),
                                                "--data",
                                                data.toString(),
                                                "--logdir",
                                                logs.toString(),
                                                "--epochs",
                                                "2",
                                                "--batch-size",
                                                "2",
                                                "--lr",
                                                "1e-3",
                                                "--seed",
                                                Long.toString(seed)));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        try (Stream<Path> files = Files.list(logs.resolve("checkpoints"))) {
            // the latest epoch kept (epoch_<n>_<run uuid>.pth)
            Path last =
                    files.filter(p -> p.getFileName().toString().startsWith("epoch_"))
                            .max(Comparator.comparing(p -> p.getFileName().toString()))
                            .orElseThrow();
            return Checkpoint.load(last).stateDict();
        }
    }
}

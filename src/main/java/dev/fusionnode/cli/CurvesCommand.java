package dev.fusionnode.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node curves}: draws the loss and validation IoU of one or more training runs (their
 * {@code <logdir>/epochs/*.json}) into one PNG, for comparisons such as transfer vs scratch.
 */
@Command(
        name = "curves",
        mixinStandardHelpOptions = true,
        description = {
            "Draw loss and validation IoU per epoch of training runs into one PNG.",
            "For example, --run transfer=logs/a --run scratch=logs/b --out cmp.png draws two runs."
        })
final class CurvesCommand implements Callable<Integer> {
    @Option(
            names = "--run",
            required = true,
            description = "NAME=LOGDIR of a run (repeat for several).")
    Map<String, Path> runs = new LinkedHashMap<>();

    @Option(names = "--out", required = true, description = "PNG to write.")
    Path out;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        List<TrainingCurves.Series> series = new ArrayList<>();
        List<String> classes = List.of();
        for (var e : runs.entrySet()) {
            List<JsonObject> epochs = new ArrayList<>();
            try (Stream<Path> files = Files.list(e.getValue().resolve("epochs"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    epochs.add(new JsonObject(Files.readString(f)));
                }
            }
            epochs.sort(Comparator.comparingInt(j -> j.getInteger("epoch")));
            if (epochs.isEmpty()) {
                System.err.println(e.getValue() + ": no epoch logs");
                return 2;
            }
            if (classes.isEmpty()) {
                List<String> names = new ArrayList<>(List.of("background"));
                epochs.get(0)
                        .getJsonObject("results")
                        .getJsonObject("val")
                        .forEach(
                                f -> {
                                    if (f.getValue() instanceof JsonObject o
                                            && o.containsKey("iou")) {
                                        names.add(f.getKey());
                                    }
                                });
                classes = names;
            }
            series.add(new TrainingCurves.Series(e.getKey(), epochs));
        }
        TrainingCurves.writeRuns(series, classes, out);
        System.out.println("wrote " + out);
        return 0;
    }
}

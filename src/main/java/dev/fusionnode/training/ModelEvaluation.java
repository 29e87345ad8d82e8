package dev.fusionnode.training;

import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.model.config.PaperPaths;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** The paper's test protocol (clft-spec §5.2) and checkpoint selection (best validation mIoU). */
public final class ModelEvaluation {
    private ModelEvaluation() {}

    /**
     * Scores per condition, their unweighted mean, and the JSON file written.
     *
     * @param byCondition scores of each test split present
     * @param overallMeanIou unweighted mean of the conditions' mIoU
     * @param file {@code <logdir>/test_results/epoch_<n>_<uuid>.json}
     */
    public record TestReport(
            Map<String, SegmentationScores> byCondition, double overallMeanIou, Path file) {}

    /** The paper's metric of {@code model} on the config's validation split. */
    public static SegmentationScores validate(
            ClftModel model, PaperConfig config, PaperPaths paths, int batchSize) {
        List<DatasetFrame> val = DatasetSplits.read(config, paths.datasetRoot(), paths.valSplit());
        SampleLoader samples = SampleLoader.of(model.spec(), config, Augmentation.NONE);
        try (ClftTrainer evaluator = new ClftTrainer(model, config.classWeights(), 0, 1);
                Batches batches = new Batches()) {
            return Evaluator.evaluate(
                            evaluator, val, samples, batchSize, config.classNames(), batches)
                    .scores();
        }
    }

    /** Evaluates {@code model} on every {@code test_<condition>.txt} of the config's CLI.path. */
    public static TestReport test(
            ClftModel model, PaperConfig config, PaperPaths paths, int batchSize) {
        Map<String, List<DatasetFrame>> tests =
                DatasetSplits.tests(config, paths.datasetRoot(), paths.testSplitDir());
        if (tests.isEmpty()) {
            throw new IllegalArgumentException(
                    "no test_<condition>.txt with frames in " + paths.testSplitDir());
        }
        SampleLoader samples = SampleLoader.of(model.spec(), config, Augmentation.NONE);
        Map<String, SegmentationScores> out = new LinkedHashMap<>();
        JsonObject results = new JsonObject();
        double sum = 0;
        try (ClftTrainer evaluator = new ClftTrainer(model, config.classWeights(), 0, 1);
                Batches batches = new Batches()) {
            for (var e : tests.entrySet()) {
                Evaluator.Result r =
                        Evaluator.evaluate(
                                evaluator,
                                e.getValue(),
                                samples,
                                batchSize,
                                config.classNames(),
                                batches);
                out.put(e.getKey(), r.scores());
                results.put(e.getKey(), r.scores().toJson());
                sum += r.scores().meanIou();
            }
        }
        double overall = sum / out.size();
        JsonObject meanPerClass = new JsonObject().put("mIoU_foreground", overall);
        for (String c : config.classNames().subList(1, config.classNames().size())) {
            double s = 0;
            for (SegmentationScores sc : out.values()) {
                s += sc.iou(c);
            }
            meanPerClass.put(c, new JsonObject().put("iou", s / out.size()));
        }
        results.put("overall", meanPerClass);
        String epoch = epochOf(model.version());
        Path file =
                paths.logDir()
                        .resolve("test_results")
                        .resolve("epoch_" + epoch + "_" + UUID.randomUUID() + ".json");
        TrainingRun.writeJson(
                file,
                new JsonObject()
                        .put("timestamp", Instant.now().toString())
                        .put("epoch", epoch)
                        .put("model", model.version())
                        .put("test_uuid", UUID.randomUUID().toString())
                        .put("test_results", results));
        return new TestReport(out, overall, file);
    }

    private static String epochOf(String version) {
        int at = version.lastIndexOf("@epoch");
        return at >= 0 ? version.substring(at + 6) : "na";
    }

    /**
     * The checkpoint of the epoch with the best validation mIoU, from {@code
     * <logdir>/epochs/*.json} (as the paper's test script picks it), among those still in {@code
     * <logdir>/checkpoints}.
     */
    public static Path bestCheckpoint(Path logdir) {
        Path epochs = logdir.resolve("epochs");
        if (!Files.isDirectory(epochs)) {
            throw new IllegalArgumentException(
                    "no epoch logs in " + epochs + "; pass --checkpoint");
        }
        try (Stream<Path> files = Files.list(epochs)) {
            record Kept(Path checkpoint, double valMiou) {}
            return files.filter(p -> p.toString().endsWith(".json"))
                    .map(ModelEvaluation::readJson)
                    .map(
                            j ->
                                    new Kept(
                                            TrainingRun.checkpointFile(
                                                    logdir,
                                                    j.getInteger("epoch"),
                                                    j.getString("epoch_uuid")),
                                            j.getJsonObject("results")
                                                    .getJsonObject("val")
                                                    .getDouble("mean_iou")))
                    .filter(k -> Files.isRegularFile(k.checkpoint()))
                    .max(Comparator.comparingDouble(Kept::valMiou))
                    .map(Kept::checkpoint)
                    .orElseThrow(
                            () ->
                                    new IllegalArgumentException(
                                            "no kept checkpoint in "
                                                    + logdir.resolve("checkpoints")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonObject readJson(Path p) {
        try {
            return new JsonObject(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

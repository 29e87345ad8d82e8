package dev.fusionnode.training;

import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.model.config.PaperPaths;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The paper's training loop in its log layout (clft-spec §4.4): per epoch the learning rate is set,
 * the shuffled training frames are trained in full batches, the validation split is evaluated, a
 * checkpoint {@code <logdir>/checkpoints/epoch_<n>_<uuid>.pth} and {@code
 * <logdir>/epochs/epoch_<n>_<uuid>.json} are written, and only the best {@code keepCheckpoints}
 * checkpoints by validation mIoU are kept. {@code <logdir>/training.json} records the provenance
 * (config, data, hyper-parameters, seed, git revision). Files are written to a temporary name,
 * synced and renamed, so a crash never leaves a partial checkpoint.
 */
public final class TrainingRun {
    private final PaperConfig config;
    private final PaperPaths paths;
    private final TrainingOptions options;
    private final ClftModel model;
    private final String trainingUuid = UUID.randomUUID().toString();
    private final List<JsonObject> history = new ArrayList<>();

    /** Progress of one epoch, reported after every batch. */
    public record Progress(
            int epoch, int batch, int batches, double loss, double framesPerSecond) {}

    /** The outcome: the best epoch's checkpoint and validation scores, and each epoch's log. */
    public record Result(
            Path bestCheckpoint,
            int bestEpoch,
            SegmentationScores bestValidation,
            List<JsonObject> epochs,
            double trainFramesPerSecond,
            long steps,
            long skippedSteps) {}

    /**
     * @param config the paper config (data, classes, weights, normalisation)
     * @param paths its paths resolved
     * @param options hyper-parameters of this run
     * @param model the model to train (changed in place)
     */
    public TrainingRun(
            PaperConfig config, PaperPaths paths, TrainingOptions options, ClftModel model) {
        this.config = config;
        this.paths = paths;
        this.options = options;
        this.model = model;
    }

    /** Trains; {@code progress} is called on the training thread. */
    public Result run(Consumer<Progress> progress) {
        return run(progress, log -> {});
    }

    /**
     * Trains; {@code progress} is called on the training thread after every batch, and {@code
     * epochDone} with each epoch's log (training and validation results) once it is written.
     */
    public Result run(Consumer<Progress> progress, Consumer<JsonObject> epochDone) {
        List<DatasetFrame> train =
                DatasetSplits.read(config, paths.datasetRoot(), paths.trainSplit());
        if (options.maxTrainFrames() > 0 && train.size() > options.maxTrainFrames()) {
            train = train.subList(0, options.maxTrainFrames());
        }
        List<DatasetFrame> val = DatasetSplits.read(config, paths.datasetRoot(), paths.valSplit());
        if (train.size() < options.batchSize()) {
            throw new IllegalArgumentException(
                    "the training split "
                            + paths.trainSplit()
                            + " has "
                            + train.size()
                            + " frames, fewer than one batch of "
                            + options.batchSize());
        }
        float[] classWeights =
                options.classWeights().resolve(config, paths.datasetRoot(), paths.trainSplit());
        SampleLoader trainSamples =
                SampleLoader.of(model.spec(), config, options.augmentation())
                        .with(options.labelWeights());
        SampleLoader evalSamples = trainSamples.with(Augmentation.NONE);
        Path logdir = paths.logDir();
        clearLeftovers(logdir);
        writeJson(
                logdir.resolve("training.json"),
                provenance(train.size(), val.size(), classWeights));
        List<Kept> kept = new ArrayList<>();
        Kept best = null;
        double framesTrained = 0;
        double secondsTraining = 0;
        long steps = 0;
        long skippedSteps = 0;
        try (ClftTrainer trainer =
                        new ClftTrainer(
                                model,
                                options.lossWith(classWeights),
                                options.lr(),
                                options.lrMomentum(),
                                1,
                                options.mode());
                Batches batches = new Batches()) {
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                double lr = trainer.startEpoch(epoch);
                List<List<DatasetFrame>> plan =
                        Batches.plan(
                                train,
                                options.batchSize(),
                                new Random(options.seed() * 31 + epoch),
                                true);
                SegmentationMetrics trainMetrics = new SegmentationMetrics(config.numClasses());
                double lossSum = 0;
                long t0 = System.nanoTime();
                CompletableFuture<List<TrainingSample>> next =
                        batches.load(plan.get(0), trainSamples, seed(epoch, 0));
                for (int b = 0; b < plan.size(); b++) {
                    List<TrainingSample> batch = next.join();
                    if (b + 1 < plan.size()) {
                        next = batches.load(plan.get(b + 1), trainSamples, seed(epoch, b + 1));
                    }
                    ClftTrainer.BatchResult r = trainer.trainBatch(batch);
                    trainMetrics.addBatch(r.prediction(), ClftTrainer.targets(batch));
                    lossSum += r.loss();
                    double secs = (System.nanoTime() - t0) / 1e9;
                    progress.accept(
                            new Progress(
                                    epoch,
                                    b + 1,
                                    plan.size(),
                                    lossSum / (b + 1),
                                    (b + 1) * options.batchSize() / secs));
                }
                secondsTraining += (System.nanoTime() - t0) / 1e9;
                steps = trainer.steps();
                skippedSteps = trainer.skippedSteps();
                framesTrained += plan.size() * options.batchSize();
                Evaluator.Result v =
                        Evaluator.evaluate(
                                trainer,
                                val,
                                evalSamples,
                                options.batchSize(),
                                config.classNames(),
                                batches);
                String epochUuid = UUID.randomUUID().toString();
                Path ckpt = checkpointFile(logdir, epoch, epochUuid);
                saveAtomically(ckpt, epoch, lr);
                JsonObject log =
                        new JsonObject()
                                .put("training_uuid", trainingUuid)
                                .put("epoch_uuid", epochUuid)
                                .put("epoch", epoch)
                                .put("timestamp", Instant.now().toString())
                                .put("learning_rate", lr)
                                .put("steps", trainer.steps())
                                .put("skipped_steps", trainer.skippedSteps())
                                .put("epoch_time", (System.nanoTime() - epochStart) / 1e9)
                                .put(
                                        "results",
                                        new JsonObject()
                                                .put(
                                                        "train",
                                                        results(
                                                                trainMetrics.scores(
                                                                        config.classNames()),
                                                                lossSum / plan.size()))
                                                .put("val", results(v.scores(), v.loss())));
                writeJson(
                        logdir.resolve("epochs")
                                .resolve("epoch_" + epoch + "_" + epochUuid + ".json"),
                        log);
                history.add(log);
                epochDone.accept(log);
                Kept k = new Kept(ckpt, epoch, v.scores());
                kept.add(k);
                if (best == null || k.scores().meanIou() > best.scores().meanIou()) {
                    best = k;
                }
                kept.sort(Comparator.comparingDouble((Kept x) -> x.scores().meanIou()).reversed());
                while (kept.size() > options.keepCheckpoints()) {
                    Kept drop = kept.remove(kept.size() - 1);
                    deleteQuietly(drop.checkpoint());
                }
            }
        }
        return new Result(
                best.checkpoint(),
                best.epoch(),
                best.scores(),
                List.copyOf(history),
                framesTrained / secondsTraining,
                steps,
                skippedSteps);
    }

    private record Kept(Path checkpoint, int epoch, SegmentationScores scores) {}

    private long seed(int epoch, int batch) {
        return (options.seed() * 1_000_003L + epoch) * 100_003L + batch;
    }

    /** The paper's per-split result object: per class, loss, mean IoU, accuracies. */
    static JsonObject results(SegmentationScores s, double loss) {
        JsonObject o = new JsonObject();
        for (SegmentationScores.ClassScore c : s.classes()) {
            o.put(
                    c.name(),
                    new JsonObject()
                            .put("iou", c.iou())
                            .put("precision", c.precision())
                            .put("recall", c.recall())
                            .put("f1", c.f1()));
        }
        return o.put("loss", loss)
                .put("mean_iou", s.meanIou())
                .put("pixel_accuracy", s.pixelAccuracy())
                .put("mean_accuracy", s.meanAccuracy());
    }

    private JsonObject provenance(int trainFrames, int valFrames, float[] classWeights) {
        return new JsonObject()
                .put("training_uuid", trainingUuid)
                .put("started", Instant.now().toString())
                .put("config", config.source())
                .put("model", model.spec().backbone().timmName() + " " + model.spec().mode().id())
                .put("parameters", model.parameterCount())
                .put(
                        "init",
                        options.init()
                                .map(Path::toString)
                                .orElse("random (seed " + options.seed() + ")"))
                .put(
                        "data",
                        new JsonObject()
                                .put("root", paths.datasetRoot().toString())
                                .put("train", paths.trainSplit().toString())
                                .put("trainFrames", trainFrames)
                                .put("validation", paths.valSplit().toString())
                                .put("validationFrames", valFrames))
                .put(
                        "hyperParameters",
                        new JsonObject()
                                .put("epochs", options.epochs())
                                .put("batchSize", options.batchSize())
                                .put("lr", options.lr())
                                .put("lrMomentum", options.lrMomentum())
                                .put("optimizer", "Adam(0.9, 0.999, eps 1e-8)")
                                .put("mode", options.mode().name().toLowerCase(Locale.ROOT))
                                .put(
                                        "loss",
                                        switch (options.loss()) {
                                            case CE -> "weighted cross-entropy";
                                            case FOCAL ->
                                                    "weighted focal, gamma " + options.gamma();
                                            case FOCAL_DICE ->
                                                    "weighted focal, gamma "
                                                            + options.gamma()
                                                            + " + "
                                                            + options.diceWeight()
                                                            + " x soft Dice";
                                        })
                                .put("classWeights", new JsonArray(floats(classWeights)))
                                .put("classWeightSource", options.classWeights().describe())
                                .put(
                                        "labelWeights",
                                        new JsonObject()
                                                .put("human", options.labelWeights().human())
                                                .put("pseudo", options.labelWeights().pseudo()))
                                .put("augmentation", options.augmentation().toString()))
                .put("seed", options.seed())
                .put("gitRevision", GitRevision.current());
    }

    private static List<Double> floats(float[] v) {
        List<Double> out = new ArrayList<>();
        for (float f : v) {
            out.add((double) f);
        }
        return out;
    }

    private void saveAtomically(Path file, int epoch, double lr) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            model.save(tmp, epoch, lr, config.classNames());
            fsyncAndRename(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    /** Writes JSON through a temporary file, synced and renamed. */
    public static void writeJson(Path file, JsonObject json) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(tmp, json.encodePrettily(), StandardCharsets.UTF_8);
            fsyncAndRename(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void fsyncAndRename(Path tmp, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code <logdir>/checkpoints/epoch_<n>_<uuid>.pth}: the trainer's checkpoint of an epoch. */
    public static Path checkpointFile(Path logdir, int epoch, String epochUuid) {
        return logdir.resolve("checkpoints").resolve("epoch_" + epoch + "_" + epochUuid + ".pth");
    }

    /** Removes the temporary files of writes that a crash interrupted. */
    public static void clearLeftovers(Path logdir) {
        for (String sub : List.of("checkpoints", "epochs", "test_results", "")) {
            Path d = sub.isEmpty() ? logdir : logdir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                files.filter(f -> f.getFileName().toString().endsWith(".tmp"))
                        .forEach(TrainingRun::deleteQuietly);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + d, e);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a checkpoint that could not be deleted only costs disk
        }
    }
}

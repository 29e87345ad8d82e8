package dev.fusionnode.cli;

import ai.djl.Device;
import dev.fusionnode.inference.ModelLoader;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.model.config.PaperPaths;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.training.Augmentation;
import dev.fusionnode.training.ClassWeights;
import dev.fusionnode.training.FineTuneMode;
import dev.fusionnode.training.SampleLoader;
import dev.fusionnode.training.SegmentationLoss;
import dev.fusionnode.training.SegmentationScores;
import dev.fusionnode.training.TrainingOptions;
import dev.fusionnode.training.TrainingRun;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node train -c CONFIG}: the paper's training (clft-spec §4) from its config file, in
 * its log layout. Transfer configs ({@code resume_training} with a {@code model_path}) start from
 * their source checkpoint, unlike the paper's code (§4.5).
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a CLFT model from a paper config.",
            "By default it uses the paper's weighted cross-entropy, Adam and a learning rate that"
                    + " decays by 0.99 per epoch.",
            "It writes <logdir>/checkpoints/epoch_<n>_<uuid>.pth (the best 2 are kept),"
                    + " <logdir>/epochs/*.json and <logdir>/training.json."
        })
final class TrainCommand implements Callable<Integer> {
    @Mixin PaperConfigOptions paper;

    @Option(names = "--epochs", description = "Epochs (default: the config's General.epochs).")
    Integer epochs;

    @Option(names = "--batch-size", description = "Batch size (default: the config's).")
    Integer batchSize;

    @Option(names = "--lr", description = "Initial learning rate (default: the config's clft_lr).")
    Double lr;

    @Option(names = "--seed", description = "Seed (default: the config's General.seed).")
    Long seed;

    @Option(
            names = "--init",
            description =
                    "Checkpoint to start from (default: the config's model_path when"
                            + " resume_training is set, else random weights).")
    Path init;

    @Option(names = "--no-augment", description = "Train without augmentation.")
    boolean noAugment;

    @Option(
            names = "--max-train-frames",
            defaultValue = "0",
            description = "Use at most this many training frames (default: 0, all of them).")
    int maxTrainFrames;

    @Option(
            names = "--loss",
            defaultValue = "ce",
            description =
                    "The loss: ce (the paper's weighted cross-entropy), focal, or focal_dice (default:"
                            + " ${DEFAULT-VALUE}); the config's class weights weigh each.")
    String loss;

    @Option(
            names = "--gamma",
            defaultValue = "2",
            description = "Focal exponent (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(
            names = "--dice-weight",
            defaultValue = "1",
            description = "Weight of the Dice term of focal_dice (default: ${DEFAULT-VALUE}).")
    double diceWeight;

    @Option(
            names = "--mode",
            defaultValue = "full",
            description =
                    "What trains: full, frozen_encoder (the ViT encoder stays) or head_only (default:"
                            + " ${DEFAULT-VALUE}).")
    String mode;

    @Option(
            names = "--class-weights",
            defaultValue = "config",
            description =
                    "The class weights: config (the config's class_weights), auto (inverse pixel frequency in the"
                            + " training split, capped) or a list like 1,3,20,12 (default:"
                            + " ${DEFAULT-VALUE}).")
    String classWeights;

    @Option(
            names = "--class-weight-cap",
            defaultValue = "20",
            description = "Largest auto class weight (default: ${DEFAULT-VALUE}).")
    float classWeightCap;

    @Option(
            names = "--pseudo-weight",
            defaultValue = "1",
            description =
                    "Loss weight of pseudo-labelled frames (autolabel); human-labelled frames"
                            + " weigh 1 (default: ${DEFAULT-VALUE}).")
    float pseudoWeight;

    @Option(
            names = "--device",
            defaultValue = "cpu",
            description = "Device to run on: cpu, gpu or auto (default: ${DEFAULT-VALUE}).")
    String device;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        PaperConfig cfg;
        try {
            cfg = paper.load();
        } catch (BadInputException | IllegalArgumentException e) {
            System.err.println("train: " + e.getMessage());
            return 2;
        }
        PaperPaths paths = PaperPaths.of(cfg, Path.of(""));
        var t = cfg.dataset().transforms();
        Augmentation aug =
                noAugment
                        ? Augmentation.NONE
                        : new Augmentation(t.pFlip(), t.pCrop(), t.pRot(), t.randomRotateRange());
        Optional<Path> start =
                init != null
                        ? Optional.of(init)
                        : cfg.general().resumeTraining() ? paths.modelPath() : Optional.empty();
        TrainingOptions options =
                new TrainingOptions(
                        epochs != null ? epochs : cfg.general().epochs(),
                        batchSize != null ? batchSize : cfg.general().batchSize(),
                        lr != null ? lr : cfg.clft().clftLr(),
                        cfg.clft().lrMomentum(),
                        seed != null ? seed : cfg.general().seed(),
                        start,
                        aug,
                        Math.max(1, cfg.general().maxEpochs()),
                        maxTrainFrames,
                        SegmentationLoss.Kind.parse(loss),
                        gamma,
                        diceWeight,
                        FineTuneMode.parse(mode),
                        ClassWeights.parse(classWeights, classWeightCap),
                        new SampleLoader.LabelWeights(1f, pseudoWeight));
        ClftSpec spec = cfg.modelSpec();
        Device dev = ModelLoader.device(device);
        System.out.printf(
                Locale.ROOT,
                "training %s (%s %s, %d classes) on %s: %d epochs, batch %d, lr %.2e, seed %d, from %s%n",
                paper.config,
                spec.backbone().timmName(),
                spec.mode().id(),
                spec.classes(),
                paths.trainSplit(),
                options.epochs(),
                options.batchSize(),
                options.lr(),
                options.seed(),
                start.map(Path::toString).orElse("random weights"));
        try (ClftModel model =
                start.isPresent()
                        ? ClftModel.loadTransfer(
                                spec, start.get(), dev, cfg.classNames(), System.out::println)
                        : ClftModel.random(spec, dev, options.seed(), "random-" + options.seed())) {
            TrainingRun run = new TrainingRun(cfg, paths, options, model);
            TrainingRun.Result result;
            boolean console = System.console() != null;
            ProgressBar[] bar = new ProgressBar[1];
            int[] lastEpoch = {-1};
            result =
                    run.run(
                            p -> {
                                if (p.epoch() != lastEpoch[0]) {
                                    if (bar[0] != null) {
                                        bar[0].close();
                                    }
                                    lastEpoch[0] = p.epoch();
                                    bar[0] =
                                            console
                                                    ? new ProgressBarBuilder()
                                                            .setTaskName("epoch " + p.epoch())
                                                            .setInitialMax(p.batches())
                                                            .setStyle(ProgressBarStyle.ASCII)
                                                            .setUnit(" batches", 1)
                                                            .build()
                                                    : null;
                                }
                                if (bar[0] != null) {
                                    bar[0].stepTo(p.batch());
                                    bar[0].setExtraMessage(
                                            String.format(
                                                    Locale.ROOT,
                                                    "loss %.4f, %.2f frames/s",
                                                    p.loss(),
                                                    p.framesPerSecond()));
                                } else if (p.batch() == p.batches()) {
                                    System.out.printf(
                                            Locale.ROOT,
                                            "epoch %d: train loss %.4f, %.2f frames/s%n",
                                            p.epoch(),
                                            p.loss(),
                                            p.framesPerSecond());
                                }
                            });
            if (bar[0] != null) {
                bar[0].close();
            }
            for (var e : result.epochs()) {
                var val = e.getJsonObject("results").getJsonObject("val");
                System.out.printf(
                        Locale.ROOT,
                        "epoch %d: lr %.2e, train loss %.4f, val loss %.4f, val mIoU %.4f%n",
                        e.getInteger("epoch"),
                        e.getDouble("learning_rate"),
                        e.getJsonObject("results").getJsonObject("train").getDouble("loss"),
                        val.getDouble("loss"),
                        val.getDouble("mean_iou"));
            }
            SegmentationScores best = result.bestValidation();
            System.out.printf(
                    Locale.ROOT,
                    "best epoch %d: val mIoU %.4f %s -> %s%n",
                    result.bestEpoch(),
                    best.meanIou(),
                    TestCommand.perClass(best),
                    result.bestCheckpoint());
            System.out.printf(
                    Locale.ROOT,
                    "training throughput: %.2f frames/s%n",
                    result.trainFramesPerSecond());
            TrainingCurves.write(
                    result.epochs(), cfg.classNames(), paths.logDir().resolve("curves.png"));
        } catch (BadInputException | IllegalArgumentException e) {
            System.err.println("train: " + e.getMessage());
            return 2;
        }
        return 0;
    }
}

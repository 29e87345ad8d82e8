package dev.fusionnode.cli;

import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.model.config.PaperPaths;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.training.ModelEvaluation;
import dev.fusionnode.training.SegmentationScores;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node test -c CONFIG [--checkpoint P]}: the paper's test protocol (clft-spec §5.2):
 * each {@code test_<condition>.txt} evaluated separately with the split-level metric, the overall
 * mIoU the unweighted mean over conditions; {@code <logdir>/test_results/epoch_<n>_<uuid>.json}.
 */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate a CLFT checkpoint on the test_<condition>.txt splits with the paper's metric.",
            "Without --checkpoint it takes the checkpoint with the best validation mIoU under"
                    + " <logdir>/checkpoints."
        })
final class TestCommand implements Callable<Integer> {
    @Mixin PaperConfigOptions paper;

    @Mixin CheckpointOptions model;

    @Option(names = "--batch-size", defaultValue = "8", description = "Batch size (default: 8).")
    int batchSize;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        try {
            PaperConfig cfg = paper.load();
            PaperPaths paths = PaperPaths.of(cfg, Path.of(""));
            Path ckpt = model.checkpoint(paths);
            ClftSpec spec = cfg.modelSpec();
            try (ClftModel loaded = ClftModel.load(spec, ckpt, model.device())) {
                ModelEvaluation.TestReport report =
                        ModelEvaluation.test(loaded, cfg, paths, batchSize);
                System.out.printf(
                        Locale.ROOT,
                        "%s (%s %s) on %s:%n",
                        ckpt,
                        spec.backbone().timmName(),
                        spec.mode().id(),
                        paths.testSplitDir());
                report.byCondition()
                        .forEach(
                                (c, s) ->
                                        System.out.printf(
                                                Locale.ROOT,
                                                "  %-11s mIoU %.4f %s%n",
                                                c,
                                                s.meanIou(),
                                                perClass(s)));
                System.out.printf(
                        Locale.ROOT,
                        "  overall     mIoU %.4f (unweighted mean over %d conditions)%n",
                        report.overallMeanIou(),
                        report.byCondition().size());
                System.out.println("wrote " + report.file());
            }
        } catch (BadInputException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("test: " + e.getMessage());
            return 2;
        }
        return 0;
    }

    /** "vehicle 0.51, sign 0.02, human 0.10". */
    static String perClass(SegmentationScores s) {
        StringBuilder sb = new StringBuilder("(");
        for (var c : s.classes()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(String.format(Locale.ROOT, "%s %.4f", c.name(), c.iou()));
        }
        return sb.append(')').toString();
    }
}

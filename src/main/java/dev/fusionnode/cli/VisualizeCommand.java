package dev.fusionnode.cli;

import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.model.config.PaperPaths;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.training.DatasetSplits;
import dev.fusionnode.training.Visualizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node visualize -c CONFIG}: the paper's segment / overlay / compare / correct-only
 * images (clft-spec §7.3) for the test splits, under the config's {@code path_predicted_images}.
 */
@Command(
        name = "visualize",
        mixinStandardHelpOptions = true,
        description = {
            "Write images of the model's segmentation of the test splits.",
            "It writes segment/, overlay/, compare/ and correct_only/ images in the paper's colours."
        })
final class VisualizeCommand implements Callable<Integer> {
    @Mixin PaperConfigOptions paper;

    @Mixin CheckpointOptions model;

    @Option(
            names = "--out",
            description = "Output folder (default: General.path_predicted_images).")
    Path out;

    @Option(
            names = "--max",
            defaultValue = "0",
            description = "At most this many frames per split (default: 0, all of them).")
    int max;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        try {
            PaperConfig cfg = paper.load();
            PaperPaths paths = PaperPaths.of(cfg, Path.of(""));
            Path ckpt = model.checkpoint(paths);
            Path dir = out != null ? out : paths.predictedImages();
            List<DatasetFrame> frames = new ArrayList<>();
            DatasetSplits.tests(cfg, paths.datasetRoot(), paths.testSplitDir())
                    .values()
                    .forEach(l -> frames.addAll(max > 0 && l.size() > max ? l.subList(0, max) : l));
            try (ClftModel loaded = ClftModel.load(cfg.modelSpec(), ckpt, model.device())) {
                int n = Visualizer.write(loaded, cfg, frames, dir, 4);
                System.out.println("wrote " + n + " frames x 4 images under " + dir);
            }
        } catch (BadInputException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("visualize: " + e.getMessage());
            return 2;
        }
        return 0;
    }
}

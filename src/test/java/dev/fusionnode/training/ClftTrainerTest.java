package dev.fusionnode.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.io.SplitFile;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.config.PaperConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The training step learns: a micro CLFT overfits two sample-drive frames (loss falls, foreground
 * IoU on those frames rises), gradients reach every parameter, and the learning rate follows lr ×
 * 0.99^epoch.
 */
class ClftTrainerTest {
    @Test
    void overfitsAFewFrames() {
        PaperConfig config = PaperConfig.read(Path.of("config/zod/clft/micro_fusion.json"));
        Path root = Path.of("recordings/sample-drive");
        List<String> lines = SplitFile.read(root.resolve("train.txt"));
        List<DatasetFrame> frames = new ArrayList<>();
        for (int i : new int[] {0, 10}) {
            frames.add(
                    DatasetLayout.ZOD.resolve(
                            root, lines.get(i), "annotation_camera_only", i, "train.txt"));
        }
        var spec = config.modelSpec();
        try (ClftModel model = ClftModel.random(spec, Device.cpu(), 3, "test")) {
            SampleLoader loader = SampleLoader.of(spec, config, Augmentation.NONE);
            List<TrainingSample> batch = new ArrayList<>();
            for (DatasetFrame f : frames) {
                batch.add(loader.load(f, new Random(0)));
            }
            try (ClftTrainer trainer = new ClftTrainer(model, config.classWeights(), 1e-3, 0.99)) {
                assertThat(trainer.startEpoch(2)).isEqualTo(1e-3 * 0.99 * 0.99);
                trainer.startEpoch(0);
                SegmentationMetrics before = new SegmentationMetrics(spec.classes());
                var first = trainer.evaluateBatch(batch);
                before.addBatch(first.prediction(), ClftTrainer.targets(batch));
                double loss = first.loss();
                for (int step = 0; step < 30; step++) {
                    long t0 = System.nanoTime();
                    loss = trainer.trainBatch(batch).loss();
                    System.out.printf(
                            "step %d loss %.4f %.0f ms%n",
                            step, loss, (System.nanoTime() - t0) / 1e6);
                }
                var last = trainer.evaluateBatch(batch);
                SegmentationMetrics after = new SegmentationMetrics(spec.classes());
                after.addBatch(last.prediction(), ClftTrainer.targets(batch));
                System.out.printf(
                        "overfit: loss %.4f -> %.4f (train %.4f), mIoU %.3f -> %.3f%n",
                        first.loss(),
                        last.loss(),
                        loss,
                        before.scores(config.classNames()).meanIou(),
                        after.scores(config.classNames()).meanIou());
                assertThat(last.loss()).isLessThan(first.loss() * 0.5);
                assertThat(after.scores(config.classNames()).iou("vehicle"))
                        .isGreaterThan(before.scores(config.classNames()).iou("vehicle") + 0.05);
            }
        }
    }
}

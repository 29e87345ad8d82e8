package dev.fusionnode.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.io.SplitFile;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.checkpoint.TorchTensor;
import dev.fusionnode.model.config.PaperConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fine-tune modes: after training steps, {@code head_only} changed only {@code
 * head_segmentation.*}, {@code frozen_encoder} changed everything but {@code
 * transformer_encoders.*}, {@code full} changed the encoder too.
 */
class FineTuneModeTest {
    @Test
    void onlyTheModesParametersChange() {
        PaperConfig config = PaperConfig.read(Path.of("config/zod/clft/demo_fusion.json"));
        Path root = Path.of("recordings/sample-drive");
        List<String> lines = SplitFile.read(root.resolve("train.txt"));
        List<DatasetFrame> frames = new ArrayList<>();
        for (int i : new int[] {0, 10}) {
            frames.add(
                    DatasetLayout.ZOD.resolve(
                            root, lines.get(i), "annotation_camera_only", i, "train.txt"));
        }
        var spec = config.modelSpec();
        SampleLoader loader = SampleLoader.of(spec, config, Augmentation.NONE);
        List<TrainingSample> batch = new ArrayList<>();
        for (DatasetFrame f : frames) {
            batch.add(loader.load(f, new Random(0)));
        }
        for (FineTuneMode mode : FineTuneMode.values()) {
            try (ClftModel model = ClftModel.random(spec, Device.cpu(), 3, "m")) {
                Map<String, TorchTensor> before = model.stateDict();
                try (ClftTrainer t =
                        new ClftTrainer(
                                model,
                                SegmentationLoss.crossEntropy(config.classWeights()),
                                1e-3,
                                0.99,
                                1,
                                mode)) {
                    for (int s = 0; s < 3; s++) {
                        t.trainBatch(batch);
                    }
                }
                Map<String, TorchTensor> after = model.stateDict();
                boolean encoder = changed(before, after, "transformer_encoders.");
                boolean fusion = changed(before, after, "fusions.");
                boolean head = changed(before, after, "head_segmentation.");
                assertThat(head).as("%s head", mode).isTrue();
                assertThat(fusion).as("%s fusion", mode).isEqualTo(mode != FineTuneMode.HEAD_ONLY);
                assertThat(encoder).as("%s encoder", mode).isEqualTo(mode == FineTuneMode.FULL);
            }
        }
    }

    private static boolean changed(
            Map<String, TorchTensor> before, Map<String, TorchTensor> after, String prefix) {
        return before.keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .anyMatch(k -> !before.get(k).contentEquals(after.get(k)));
    }
}

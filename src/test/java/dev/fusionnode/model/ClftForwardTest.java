package dev.fusionnode.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Verifies the forward of a randomly initialised micro CLFT: shapes, modes, batch independence. */
class ClftForwardTest {
    private static ClftSpec micro(ClftMode mode) {
        return ClftSpec.paper("vit_micro_patch16_384", 4, mode)
                .withResampleDim(16)
                .withImageSize(64);
    }

    @Test
    void everyModeGivesLogitsAtInputSize() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (ClftMode mode : ClftMode.values()) {
                ClftBlock block = new ClftBlock(micro(mode));
                block.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
                NDArray rgb = m.randomUniform(0, 1, new Shape(2, 3, 64, 64));
                NDArray lidar = m.randomUniform(0, 1, new Shape(2, 3, 64, 64));
                NDArray out =
                        block.forward(new ParameterStore(m, false), new NDList(rgb, lidar), false)
                                .singletonOrThrow();
                assertThat(out.getShape()).as(mode.id()).isEqualTo(new Shape(2, 4, 64, 64));
                assertThat(out.isNaN().any().getBoolean()).isFalse();
                // batch independence: the second sample alone gives the same logits
                NDArray single =
                        block.forward(
                                        new ParameterStore(m, false),
                                        new NDList(rgb.get("1:2"), lidar.get("1:2")),
                                        false)
                                .singletonOrThrow();
                assertThat(single.sub(out.get("1:2")).abs().max().getFloat())
                        .as(mode.id())
                        .isLessThan(1e-4f);
            }
        }
    }

    @Test
    void predictorBatchesGiveTheSameMasksAsSingleSamples() throws Exception {
        ClftSpec spec = micro(ClftMode.CROSS_FUSION);
        try (ClftModel model = ClftModel.random(spec, ai.djl.Device.cpu(), 42, "test");
                var predictor = model.newPredictor(true)) {
            Random r = new Random(1);
            List<ClftSample> samples = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                float[] rgb = new float[3 * 64 * 64];
                float[] lidar = new float[3 * 64 * 64];
                for (int k = 0; k < rgb.length; k++) {
                    rgb[k] = (float) r.nextGaussian();
                    lidar[k] = r.nextFloat();
                }
                samples.add(new ClftSample(rgb, lidar, 64));
            }
            var batch = predictor.batchPredict(samples);
            assertThat(batch).hasSize(3);
            for (int i = 0; i < 3; i++) {
                var single = predictor.predict(samples.get(i));
                assertThat(single.mask()).hasSize(64 * 64);
                assertThat(single.logits()).hasSize(4 * 64 * 64);
                float maxDiff = 0;
                for (int k = 0; k < single.logits().length; k++) {
                    maxDiff =
                            Math.max(
                                    maxDiff,
                                    Math.abs(single.logits()[k] - batch.get(i).logits()[k]));
                }
                assertThat(maxDiff).isLessThan(1e-4f);
                for (byte b : single.mask()) {
                    assertThat(b & 0xFF).isLessThan(4);
                }
            }
            assertThat(model.parameterCount()).isGreaterThan(100_000);
        }
    }
}

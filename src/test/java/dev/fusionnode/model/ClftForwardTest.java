package dev.fusionnode.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
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
}

package dev.fusionnode.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.fusionnode.model.checkpoint.Checkpoint;
import dev.fusionnode.model.checkpoint.TorchTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfer to another class list: a 4-class model (background, vehicle, sign, human) saved with its
 * class names starts a 3-class model (background, vehicle, human) whose head rows are the source's
 * rows of the same names and whose other weights are the source's; a checkpoint without names gives
 * a fresh last head layer; the same class count loads strictly.
 */
class TransferLoadTest {
    private static final List<String> SOURCE = List.of("background", "vehicle", "sign", "human");
    private static final List<String> TARGET = List.of("background", "vehicle", "human");

    @TempDir Path dir;

    private static ClftSpec micro(int classes) {
        return ClftSpec.paper("vit_micro_patch16_384", classes, ClftMode.CROSS_FUSION)
                .withResampleDim(16)
                .withImageSize(64);
    }

    @Test
    void headRowsFollowClassNames() {
        Path named = dir.resolve("named.pth");
        Path unnamed = dir.resolve("unnamed.pth");
        Map<String, TorchTensor> src;
        try (ClftModel m = ClftModel.random(micro(4), Device.cpu(), 7, "src")) {
            m.save(named, 3, 1e-4, SOURCE);
            m.save(unnamed, 3, 1e-4);
            src = m.stateDict();
        }
        assertThat(Checkpoint.load(named).classNames()).contains(SOURCE);
        assertThat(Checkpoint.load(unnamed).classNames()).isEmpty();

        List<String> said = new ArrayList<>();
        try (ClftModel t =
                ClftModel.loadTransfer(micro(3), named, Device.cpu(), TARGET, said::add)) {
            Map<String, TorchTensor> sd = t.stateDict();
            float[] w = sd.get(ClftModel.HEAD_LAST + "weight").toFloats();
            float[] sw = src.get(ClftModel.HEAD_LAST + "weight").toFloats();
            int width = 32;
            int[] from = {0, 1, 3};
            for (int c = 0; c < 3; c++) {
                assertThat(Arrays.copyOfRange(w, c * width, (c + 1) * width))
                        .containsExactly(
                                Arrays.copyOfRange(sw, from[c] * width, (from[c] + 1) * width));
            }
            float[] b = sd.get(ClftModel.HEAD_LAST + "bias").toFloats();
            float[] sb = src.get(ClftModel.HEAD_LAST + "bias").toFloats();
            assertThat(b).containsExactly(sb[0], sb[1], sb[3]);
            String other = "head_segmentation.head.2.weight";
            assertThat(sd.get(other).contentEquals(src.get(other))).isTrue();
        }
        assertThat(said)
                .singleElement()
                .asString()
                .contains("human <- human", "vehicle <- vehicle");

        said.clear();
        try (ClftModel t =
                ClftModel.loadTransfer(micro(3), unnamed, Device.cpu(), TARGET, said::add)) {
            float[] w = t.stateDict().get(ClftModel.HEAD_LAST + "weight").toFloats();
            float[] sw = src.get(ClftModel.HEAD_LAST + "weight").toFloats();
            assertThat(Arrays.copyOfRange(w, 0, 32))
                    .isNotEqualTo(Arrays.copyOfRange(sw, 0, 32)); // fresh, not the source's row
        }
        assertThat(said).singleElement().asString().contains("unnamed");

        try (ClftModel same =
                ClftModel.loadTransfer(micro(4), named, Device.cpu(), SOURCE, said::add)) {
            assertThat(same.version()).isEqualTo("named@epoch3");
            assertThat(
                            same.stateDict()
                                    .get(ClftModel.HEAD_LAST + "weight")
                                    .contentEquals(src.get(ClftModel.HEAD_LAST + "weight")))
                    .isTrue();
        }
    }
}

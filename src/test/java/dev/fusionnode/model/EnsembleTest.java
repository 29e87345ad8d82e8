package dev.fusionnode.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.fusionnode.model.checkpoint.PthWriter;
import dev.fusionnode.pipeline.BadInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies the specialist ensemble (clft-spec §3.10): an ensemble file of three 2-class members
 * loads as one model whose output is [1 - max p, p_vehicle, p_sign, p_human] of the members run
 * separately.
 */
class EnsembleTest {
    @TempDir Path tmp;

    private static ClftSpec member() {
        return ClftSpec.paper("vit_micro_patch16_384", 2, ClftMode.CROSS_FUSION)
                .withResampleDim(16)
                .withImageSize(64);
    }

    @Test
    void ensembleIsOneMinusMaxThenTheMembersProbabilities() throws Exception {
        List<ClftModel> singles = new ArrayList<>();
        Map<String, Object> members = new LinkedHashMap<>();
        String[] names = {"vehicle", "sign", "human"};
        for (int i = 0; i < 3; i++) {
            ClftModel m = ClftModel.random(member(), Device.cpu(), 10 + i, names[i]);
            singles.add(m);
            Map<String, Object> ckpt = new LinkedHashMap<>();
            ckpt.put("epoch", 5);
            ckpt.put("model_state_dict", new LinkedHashMap<>(m.stateDict()));
            ckpt.put("optimizer_state_dict", PthWriter.freshAdamState(m.stateDict().size(), 1e-4));
            members.put(names[i], ckpt);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ensemble_models", members);
        root.put("merged_from", List.of("a.pth", "b.pth", "c.pth"));
        root.put("merge_method", "pseudo_merged_ensemble");
        root.put("description", "test");
        Path file = tmp.resolve("ensemble.pth");
        PthWriter.save(file, root);

        try (ClftModel ensemble = ClftModel.load(member(), file, Device.cpu());
                NDManager nd = NDManager.newBaseManager("PyTorch")) {
            assertThat(ensemble.spec().classes()).isEqualTo(4);
            NDArray rgb = nd.randomNormal(new Shape(2, 3, 64, 64));
            NDArray lidar = nd.randomUniform(0, 1, new Shape(2, 3, 64, 64));
            ParameterStore ps = new ParameterStore(nd, false);
            NDArray out =
                    ensemble.block().forward(ps, new NDList(rgb, lidar), false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(2, 4, 64, 64));
            NDArray max = null;
            for (int i = 0; i < 3; i++) {
                NDArray p =
                        singles.get(i)
                                .block()
                                .forward(ps, new NDList(rgb, lidar), false)
                                .singletonOrThrow()
                                .softmax(1)
                                .get(":, 1");
                assertThat(out.get(":, " + (i + 1)).sub(p).abs().max().getFloat())
                        .as(names[i])
                        .isLessThan(1e-5f);
                max = max == null ? p : max.maximum(p);
            }
            assertThat(out.get(":, 0").sub(max.neg().add(1)).abs().max().getFloat())
                    .isLessThan(1e-5f);
        } finally {
            singles.forEach(ClftModel::close);
        }
    }

    @Test
    void anEnsembleWithoutTheSignModelIsRefused() throws Exception {
        Map<String, Object> members = new LinkedHashMap<>();
        for (String n : new String[] {"vehicle", "human"}) {
            try (ClftModel m = ClftModel.random(member(), Device.cpu(), 1, n)) {
                members.put(
                        n,
                        Map.of(
                                "epoch",
                                1,
                                "model_state_dict",
                                new LinkedHashMap<>(m.stateDict()),
                                "optimizer_state_dict",
                                Map.of()));
            }
        }
        Path file = tmp.resolve("two.pth");
        PthWriter.save(file, Map.of("ensemble_models", members));
        assertThatThrownBy(() -> ClftModel.load(member(), file, Device.cpu()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("no 'sign' model");
    }
}

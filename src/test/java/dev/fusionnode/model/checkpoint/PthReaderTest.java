package dev.fusionnode.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verifies that checkpoints written by PyTorch 1.13 load with the keys, dtypes, shapes and values
 * that Python recorded in {@code manifest.json}.
 */
class PthReaderTest {

    /**
     * Verifies that every tensor of every fixture matches Python's dtype, shape, sum, first and
     * last values, and that the file holds no other tensors.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "state_dict.pth",
                "protocol4.pth",
                "trainer_checkpoint.pth",
                "ensemble.pth",
                "micro_clft.pth"
            })
    void everyTensorMatchesPython(String fixture) {
        JsonObject tensors = TorchFixtures.manifest(fixture).getJsonObject("tensors");

        Object tree = PthReader.load(TorchFixtures.file(fixture));

        for (String path : tensors.fieldNames()) {
            Object value = TorchFixtures.at(tree, path);
            assertThat(value).as(path).isInstanceOf(TorchTensor.class);
            TorchFixtures.assertMatches(path, (TorchTensor) value, tensors.getJsonObject(path));
        }
        assertThat(countTensors(tree)).isEqualTo(tensors.size());
    }

    /** Verifies that a bare state dict keeps Python's key order and every dtype. */
    @Test
    void stateDictKeepsOrderAndDtypes() {
        Checkpoint c = Checkpoint.load(TorchFixtures.file("state_dict.pth"));

        assertThat(c.kind()).isEqualTo(Checkpoint.Kind.STATE_DICT);
        Map<String, TorchTensor> sd = c.stateDict();
        assertThat(sd.keySet())
                .containsExactlyElementsOf(
                        TorchFixtures.manifest("state_dict.pth")
                                .getJsonObject("tensors")
                                .fieldNames());
        assertThat(sd.values().stream().map(TorchTensor::dtype).distinct())
                .containsExactlyInAnyOrder(TorchDType.values());
        assertThat(c.epoch()).isEmpty();
    }

    /**
     * Verifies that views of one storage (transposed, a row at an offset, every other column, a
     * transposed half tensor, an expanded tensor) come out as the elements they show.
     */
    @Test
    void viewsAndNonContiguousTensors() {
        Map<String, TorchTensor> sd =
                Checkpoint.load(TorchFixtures.file("state_dict.pth")).stateDict();
        float[] w = sd.get("fc.weight").toFloats(); // 4 x 6

        float[] t = sd.get("fc_weight_t").toFloats();
        float[] row = sd.get("fc_weight_row2").toFloats();
        float[] cols = sd.get("fc_weight_cols").toFloats();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                assertThat(t[j * 4 + i]).isEqualTo(w[i * 6 + j]);
                if (j % 2 == 0) {
                    assertThat(cols[i * 3 + j / 2]).isEqualTo(w[i * 6 + j]);
                }
            }
        }
        for (int j = 0; j < 6; j++) {
            assertThat(row[j]).isEqualTo(w[2 * 6 + j]);
        }
        assertThat(sd.get("fc_weight_t").shape()).containsExactly(6, 4);
        float[] half = sd.get("f16").toFloats(); // 3 x 4
        float[] halfT = sd.get("f16_t").toFloats();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertThat(halfT[j * 3 + i]).isEqualTo(half[i * 4 + j]);
            }
        }
        assertThat(sd.get("expanded").toFloats())
                .containsExactly(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2);
        assertThat(sd.get("scalar").shape()).isEmpty();
        assertThat(sd.get("scalar").toFloats()).containsExactly(3.25f);
        assertThat(sd.get("empty").numel()).isZero();
        assertThat(sd.get("flags").dtype()).isEqualTo(TorchDType.BOOL);
    }

    /** Verifies that a trainer checkpoint gives its epoch, state dict and Adam state. */
    @Test
    void trainerCheckpoint() {
        Checkpoint c = Checkpoint.load(TorchFixtures.file("trainer_checkpoint.pth"));

        assertThat(c.kind()).isEqualTo(Checkpoint.Kind.TRAINER);
        assertThat(c.epoch()).hasValue(3);
        assertThat(c.stateDict()).containsOnlyKeys("0.weight", "0.bias", "3.weight", "3.bias");
        Map<?, ?> opt = c.optimizerState().orElseThrow();
        Map<?, ?> group = (Map<?, ?>) ((List<?>) opt.get("param_groups")).get(0);
        assertThat(group.get("lr")).isEqualTo(0.01);
        assertThat((Object[]) group.get("betas")).containsExactly(0.9, 0.999);
        assertThat(group.get("params")).isEqualTo(List.of(0, 1, 2, 3));
        assertThat(group.get("foreach")).isNull();
        Map<?, ?> state = (Map<?, ?>) opt.get("state");
        assertThat(List.copyOf(state.keySet())).isEqualTo(List.of(0, 1, 2, 3));
        TorchTensor step = (TorchTensor) ((Map<?, ?>) state.get(0)).get("step");
        assertThat(step.toFloats()).containsExactly(3f);
    }

    /** Verifies that the ensemble file is recognised and gives its members' state dicts. */
    @Test
    void ensembleMembers() {
        Checkpoint c = Checkpoint.load(TorchFixtures.file("ensemble.pth"));

        assertThat(c.kind()).isEqualTo(Checkpoint.Kind.ENSEMBLE);
        Map<String, Checkpoint> members = c.ensembleMembers();
        assertThat(members.keySet()).containsExactly("vehicle", "sign", "human");
        assertThat(members.get("sign").epoch()).hasValue(11);
        assertThat(members.get("human").stateDict().get("weight").shape()).containsExactly(2, 4);
        assertThat(((Map<?, ?>) c.root()).get("merge_method")).isEqualTo("pseudo_merged_ensemble");
        assertThatThrownBy(c::stateDict)
                .isInstanceOfSatisfying(
                        BadInputException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(BadInputReason.MALFORMED_CHECKPOINT);
                            assertThat(e.getMessage())
                                    .contains("an ensemble of [vehicle, sign, human]");
                        });
    }

    /** Verifies that the micro CLFT's state dict has the 154 keys in the model's order. */
    @Test
    void microClftStateDict() {
        Checkpoint c = Checkpoint.load(TorchFixtures.file("micro_clft.pth"));

        Map<String, TorchTensor> sd = c.stateDict();
        assertThat(sd).hasSize(154);
        assertThat(sd.keySet().iterator().next()).isEqualTo("transformer_encoders.cls_token");
        assertThat(sd.get("transformer_encoders.pos_embed").shape()).containsExactly(1, 17, 64);
        assertThat(sd.get("reassembles_XYZ.0.resample.conv2.weight").shape())
                .containsExactly(16, 16, 4, 4);
        assertThat(sd).doesNotContainKey("reassembles_RGB.2.resample.conv2.weight");
        assertThat(c.epoch()).hasValue(0);
    }

    /**
     * Verifies that the reference files others test against load with the names and shapes their
     * README documents.
     */
    @Test
    void referenceTensorFiles() {
        Map<String, TorchTensor> blocks =
                Checkpoint.load(TorchFixtures.file("blocks.pth")).stateDict();
        Map<String, TorchTensor> io =
                Checkpoint.load(TorchFixtures.file("micro_clft_io.pth")).stateDict();

        assertThat(blocks).hasSize(88);
        assertThat(blocks.get("stdconv_7x7s2.even.y").shape()).containsExactly(1, 8, 6, 5);
        assertThat(blocks.get("readout_projection.y").shape()).containsExactly(2, 8, 3, 4);
        assertThat(io.keySet())
                .contains("rgb", "lidar_batch2", "hooks.lidar.t3", "vit_head.rgb")
                .contains("logits.cross_fusion", "logits_batch2.rgb");
        assertThat(io.get("logits_batch2.cross_fusion").shape()).containsExactly(2, 4, 64, 64);
        assertThat(io.get("hooks.rgb.t0").shape()).containsExactly(1, 17, 64);
    }

    private static int countTensors(Object o) {
        if (o instanceof TorchTensor) {
            return 1;
        }
        if (o instanceof Map<?, ?> m) {
            return m.values().stream().mapToInt(PthReaderTest::countTensors).sum();
        }
        if (o instanceof List<?> l) {
            return l.stream().mapToInt(PthReaderTest::countTensors).sum();
        }
        if (o instanceof Object[] a) {
            return Arrays.stream(a).mapToInt(PthReaderTest::countTensors).sum();
        }
        return 0;
    }
}

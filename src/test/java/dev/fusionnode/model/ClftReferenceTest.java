package dev.fusionnode.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.fusionnode.TestData;
import dev.fusionnode.model.checkpoint.Checkpoint;
import dev.fusionnode.model.checkpoint.TorchTensor;
import dev.fusionnode.model.checkpoint.TorchTensors;
import dev.fusionnode.pipeline.BadInputException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies the Java CLFT against the independent Python reference ({@code
 * src/test/python/clft_reference.py}, PyTorch 1.13): the micro model's checkpoint loads strictly,
 * the hooked encoder outputs and the logits of every mode, batch 1 and 2, match PyTorch's.
 */
class ClftReferenceTest {
    private static final Path DIR = TestData.resource("fixtures/torch");

    @TempDir Path tmp;

    private static ClftSpec micro(ClftMode mode) {
        return ClftSpec.paper("vit_micro_patch16_384", 4, mode)
                .withResampleDim(16)
                .withImageSize(64);
    }

    private static float maxAbsDiff(NDArray a, NDArray b) {
        assertThat(a.getShape()).isEqualTo(b.getShape());
        return a.sub(b).abs().max().getFloat();
    }

    @Test
    void logitsOfEveryModeMatchPyTorch() {
        Map<String, TorchTensor> io = Checkpoint.load(DIR.resolve("micro_clft_io.pth")).stateDict();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (ClftMode mode : ClftMode.values()) {
                try (ClftModel model =
                        ClftModel.load(micro(mode), DIR.resolve("micro_clft.pth"), Device.cpu())) {
                    assertThat(model.version()).isEqualTo("micro_clft@epoch0");
                    ParameterStore ps = new ParameterStore(m, false);
                    for (String suffix : new String[] {"", "_batch2"}) {
                        NDArray rgb = TorchTensors.toNDArray(m, io.get("rgb" + suffix));
                        NDArray lidar = TorchTensors.toNDArray(m, io.get("lidar" + suffix));
                        NDArray want =
                                TorchTensors.toNDArray(
                                        m,
                                        io.get(
                                                (suffix.isEmpty() ? "logits." : "logits_batch2.")
                                                        + mode.id()));
                        NDArray got =
                                model.block()
                                        .forward(ps, new NDList(rgb, lidar), false)
                                        .singletonOrThrow();
                        float scale = want.abs().max().getFloat();
                        assertThat(maxAbsDiff(got, want))
                                .as("%s%s logits (max |logit| %.3f)", mode.id(), suffix, scale)
                                .isLessThan(1e-4f * Math.max(1, scale));
                        // the argmax decision agrees too
                        assertThat(got.argMax(1).eq(want.argMax(1)).all().getBoolean()).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void hookedEncoderOutputsMatchPyTorch() {
        Map<String, TorchTensor> io = Checkpoint.load(DIR.resolve("micro_clft_io.pth")).stateDict();
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                ClftModel model =
                        ClftModel.load(
                                micro(ClftMode.RGB), DIR.resolve("micro_clft.pth"), Device.cpu())) {
            for (String input : new String[] {"rgb", "lidar"}) {
                NDList hooks =
                        ((VisionTransformer) model.block().getChildren().get(0).getValue())
                                .hooked(
                                        new ParameterStore(m, false),
                                        TorchTensors.toNDArray(m, io.get(input)),
                                        false);
                for (int i = 0; i < 4; i++) {
                    NDArray want = TorchTensors.toNDArray(m, io.get("hooks." + input + ".t" + i));
                    assertThat(maxAbsDiff(hooks.get(i), want))
                            .as("%s hook %d", input, i)
                            .isLessThan(1e-4f);
                }
            }
        }
    }

    @Test
    void savedCheckpointLoadsBackIdentically() {
        Path out = tmp.resolve("micro_copy.pth");
        try (ClftModel model =
                ClftModel.load(
                        micro(ClftMode.CROSS_FUSION),
                        DIR.resolve("micro_clft.pth"),
                        Device.cpu())) {
            model.save(out, 7, 1e-5);
            Map<String, TorchTensor> original =
                    Checkpoint.load(DIR.resolve("micro_clft.pth")).stateDict();
            Checkpoint copy = Checkpoint.load(out);
            assertThat(copy.epoch()).hasValue(7);
            assertThat(copy.stateDict().keySet()).containsExactlyElementsOf(original.keySet());
            original.forEach(
                    (k, v) -> assertThat(copy.stateDict().get(k).contentEquals(v)).as(k).isTrue());
        }
    }

    @Test
    void aCheckpointOfAnotherShapeIsRefusedWithTheKeys() {
        ClftSpec wrong = micro(ClftMode.CROSS_FUSION).withResampleDim(32);
        assertThatThrownBy(() -> ClftModel.load(wrong, DIR.resolve("micro_clft.pth"), Device.cpu()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("micro_clft.pth")
                .hasMessageContaining("wrong shape")
                .hasMessageContaining("reassembles_RGB.0.resample.conv1.weight");
    }

    /**
     * Verifies the TorchScript backend: the reference model traced by PyTorch ({@code
     * micro_clft_cross_fusion.pt}) serves through the same predictor and gives PyTorch's logits at
     * batch 1 and 2.
     */
    @Test
    void torchScriptExportServesThePyTorchLogits() throws Exception {
        Map<String, TorchTensor> io = Checkpoint.load(DIR.resolve("micro_clft_io.pth")).stateDict();
        try (ClftModel model =
                        ClftModel.load(
                                micro(ClftMode.CROSS_FUSION),
                                DIR.resolve("micro_clft_cross_fusion.pt"),
                                Device.cpu());
                var predictor = model.newPredictor(true)) {
            assertThat(model.version()).isEqualTo("micro_clft_cross_fusion (TorchScript)");
            float[] rgb = io.get("rgb_batch2").toFloats();
            float[] lidar = io.get("lidar_batch2").toFloats();
            float[] want = io.get("logits_batch2.cross_fusion").toFloats();
            int n = 3 * 64 * 64;
            var samples =
                    List.of(
                            new ClftSample(
                                    Arrays.copyOfRange(rgb, 0, n),
                                    Arrays.copyOfRange(lidar, 0, n),
                                    64),
                            new ClftSample(
                                    Arrays.copyOfRange(rgb, n, 2 * n),
                                    Arrays.copyOfRange(lidar, n, 2 * n),
                                    64));
            for (int batch = 1; batch <= 2; batch++) {
                var out = predictor.batchPredict(samples.subList(0, batch));
                for (int b = 0; b < batch; b++) {
                    float[] got = out.get(b).logits();
                    int c = 4 * 64 * 64;
                    float diff = 0;
                    for (int k = 0; k < c; k++) {
                        diff = Math.max(diff, Math.abs(got[k] - want[b * c + k]));
                    }
                    assertThat(diff).as("batch %d sample %d", batch, b).isLessThan(1e-4f);
                }
            }
        }
    }
}

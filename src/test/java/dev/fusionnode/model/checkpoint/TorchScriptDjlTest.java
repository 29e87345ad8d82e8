package dev.fusionnode.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Verifies that DJL's PyTorch engine runs the TorchScript module PyTorch 1.13 saved and gives
 * Python's output, and that tensors cross to DJL and back unchanged.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TorchScriptDjlTest {

    /** Verifies that the scripted conv net's output for the stored input equals Python's. */
    @Test
    void scriptedModuleGivesPythonsOutput() throws Exception {
        Map<String, TorchTensor> io =
                Checkpoint.load(TorchFixtures.file("scripted_io.pth")).stateDict();
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelPath(TorchFixtures.file("scripted.pt"))
                        .optEngine("PyTorch")
                        .build();

        float[] got;
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray input = TorchTensors.toNDArray(manager, io.get("input"));
            NDList out = predictor.predict(new NDList(input));
            TorchTensor y = TorchTensors.fromNDArray(out.singletonOrThrow());
            assertThat(y.shape()).containsExactly(2, 5);
            got = y.toFloats();
        }

        float[] want = io.get("output").toFloats();
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).as("output[%d]", i).isCloseTo(want[i], within(1e-5f));
        }
    }

    /**
     * Verifies that every dtype survives TorchTensor to NDArray to TorchTensor; bfloat16 and int16
     * come back widened to float32 and int32 with the same values.
     */
    @Test
    void everyDtypeCrossesToDjlAndBack() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (TorchDType t : TorchDType.values()) {
                byte[] bytes = new byte[6 * t.itemSize()];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) (t == TorchDType.BOOL ? i % 2 : 3 * i + 1);
                }
                TorchTensor tensor = TorchTensor.wrap(t, ByteBuffer.wrap(bytes), 3, 2);

                NDArray array = TorchTensors.toNDArray(manager, tensor);
                TorchTensor back = TorchTensors.fromNDArray(array);

                assertThat(array.getShape().getShape()).containsExactly(3, 2);
                if (t == TorchDType.BFLOAT16 || t == TorchDType.INT16) {
                    // widened: DJL 0.32's PyTorch engine aborts on these types
                    assertThat(back.dtype())
                            .isEqualTo(
                                    t == TorchDType.INT16 ? TorchDType.INT32 : TorchDType.FLOAT32);
                    assertThat(back.toDoubles())
                            .as(t.pythonName())
                            .containsExactly(tensor.toDoubles());
                } else {
                    assertThat(back.contentEquals(tensor)).as(t.pythonName()).isTrue();
                }
            }
        }
    }
}

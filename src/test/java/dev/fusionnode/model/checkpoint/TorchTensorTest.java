package dev.fusionnode.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Verifies the plain tensor: 16-bit float widening, factories and their checks. */
class TorchTensorTest {

    /** Verifies IEEE half conversion on normal, subnormal, extreme and special values. */
    @Test
    void halfFloats() {
        short[] bits = {
            0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x0400, 0x7C00, (short) 0xFC00, (short) 0x8000
        };
        float[] want = {
            1f,
            -2f,
            65504f,
            0x1p-24f,
            0x1p-14f,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            -0f
        };

        float[] got = tensor(TorchDType.FLOAT16, bits).toFloats();

        assertThat(got).containsExactly(want);
        assertThat(Float.isNaN(tensor(TorchDType.FLOAT16, new short[] {0x7E00}).toFloats()[0]))
                .isTrue();
    }

    /** Verifies bfloat16 widening (the upper half of a float32). */
    @Test
    void bfloat16() {
        short[] bits = {0x3F80, (short) 0xC040, 0x4049};

        assertThat(tensor(TorchDType.BFLOAT16, bits).toFloats())
                .containsExactly(1f, -3f, Float.intBitsToFloat(0x40490000));
    }

    /** Verifies that factories keep values and shapes and refuse mismatched sizes. */
    @Test
    void factories() {
        TorchTensor t = TorchTensor.ofLongs(new long[] {1L << 50, -1, 3, 4, 5, 6}, 2, 3);

        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.numel()).isEqualTo(6);
        assertThat(t.toLongs()).containsExactly(1L << 50, -1, 3, 4, 5, 6);
        assertThat(t.data().order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(t.data().isReadOnly()).isTrue();
        assertThat(TorchTensor.ofInts(new int[] {-7}).toDoubles()).containsExactly(-7.0);
        assertThat(TorchTensor.ofDoubles(new double[] {0.1}, 1).get(0)).isEqualTo(0.1);
        assertThatThrownBy(() -> TorchTensor.ofFloats(new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("float32 [2, 3] needs 24 bytes, got 20");
        assertThatThrownBy(() -> TorchTensor.ofFloats(new float[] {1f}).toLongs())
                .isInstanceOf(IllegalStateException.class);
    }

    /** Verifies that uint8 reads unsigned and int8 signed. */
    @Test
    void bytesSignedAndUnsigned() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {(byte) 0xFF, 1});

        assertThat(TorchTensor.wrap(TorchDType.UINT8, b, 2).toLongs()).containsExactly(255, 1);
        assertThat(TorchTensor.wrap(TorchDType.INT8, b, 2).toLongs()).containsExactly(-1, 1);
    }

    private static TorchTensor tensor(TorchDType dtype, short[] bits) {
        ByteBuffer b = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(bits);
        return TorchTensor.wrap(dtype, b, bits.length);
    }
}

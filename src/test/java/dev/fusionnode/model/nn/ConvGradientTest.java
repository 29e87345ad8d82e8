package dev.fusionnode.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A 3x3 convolution that records gradients, checked against the definition summed in Java: its
 * output, and the gradients of its input, weight and bias for a random upstream gradient. The
 * shapes are those whose input gradient libtorch's oneDNN got wrong on AVX-512 CPUs (output
 * channels not a multiple of 16, 32x32 inputs, as the MICRO model's head has), and whole blocks.
 */
class ConvGradientTest {
    @ParameterizedTest(name = "{0} -> {1} channels, {2}x{2}")
    @CsvSource({"16, 8, 32", "8, 8, 32", "16, 24, 32", "3, 4, 32", "16, 16, 32", "16, 8, 9"})
    void gradientsAreThoseOfTheDefinition(int in, int out, int size) {
        int n = 2;
        Random r = new Random(in * 1000L + out * 10L + size);
        float[] x = gaussian(r, n * in * size * size);
        float[] up = gaussian(r, n * out * size * size);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Conv conv = Conv.of(in, out, 3, 1, 1);
            conv.initialize(m, DataType.FLOAT32, new Shape(1));
            float[] w = conv.getParameters().get("weight").getArray().toFloatArray();
            float[] b = conv.getParameters().get("bias").getArray().toFloatArray();
            NDArray input = m.create(x, new Shape(n, in, size, size));
            input.setRequiresGradient(true);
            float[] y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray result = conv.forward(new ParameterStore(m, false), input, true);
                y = result.toFloatArray();
                gc.backward(result.mul(m.create(up, result.getShape())).sum());
            }
            Reference ref = new Reference(n, in, out, size, x, w, b, up);
            assertClose("output", y, ref.output());
            assertClose("input gradient", input.getGradient().toFloatArray(), ref.inputGradient());
            assertClose(
                    "weight gradient",
                    conv.getParameters().get("weight").getArray().getGradient().toFloatArray(),
                    ref.weightGradient());
            assertClose(
                    "bias gradient",
                    conv.getParameters().get("bias").getArray().getGradient().toFloatArray(),
                    ref.biasGradient());
        }
    }

    private static float[] gaussian(Random r, int count) {
        float[] a = new float[count];
        for (int i = 0; i < count; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static void assertClose(String what, float[] got, double[] want) {
        assertThat(got).as(what + " length").hasSize(want.length);
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            worst = Math.max(worst, Math.abs(got[i] - want[i]));
        }
        assertThat(worst / scale)
                .as(what + ": largest difference / largest value")
                .isLessThan(1e-5);
    }

    /** A 3x3 convolution with zero padding 1, stride 1, summed in doubles. */
    private record Reference(
            int n, int in, int out, int size, float[] x, float[] w, float[] b, float[] up) {
        /** One product of the convolution: output element, input element, weight. */
        @FunctionalInterface
        interface Tap {
            void add(int output, int input, int weight);
        }

        /** Every product whose input is inside the image (the padding adds zeros). */
        void forEachTap(Tap tap) {
            for (int img = 0; img < n; img++) {
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < size; i++) {
                        for (int j = 0; j < size; j++) {
                            int output = ((img * out + o) * size + i) * size + j;
                            for (int c = 0; c < in; c++) {
                                for (int ki = 0; ki < 3; ki++) {
                                    for (int kj = 0; kj < 3; kj++) {
                                        int si = i + ki - 1;
                                        int sj = j + kj - 1;
                                        if (si >= 0 && sj >= 0 && si < size && sj < size) {
                                            tap.add(
                                                    output,
                                                    ((img * in + c) * size + si) * size + sj,
                                                    ((o * in + c) * 3 + ki) * 3 + kj);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        double[] output() {
            double[] y = new double[n * out * size * size];
            for (int k = 0; k < y.length; k++) {
                y[k] = b[k / (size * size) % out];
            }
            forEachTap((o, i, k) -> y[o] += (double) w[k] * x[i]);
            return y;
        }

        double[] inputGradient() {
            double[] dx = new double[x.length];
            forEachTap((o, i, k) -> dx[i] += (double) up[o] * w[k]);
            return dx;
        }

        double[] weightGradient() {
            double[] dw = new double[w.length];
            forEachTap((o, i, k) -> dw[k] += (double) up[o] * x[i]);
            return dw;
        }

        double[] biasGradient() {
            double[] db = new double[out];
            for (int i = 0; i < up.length; i++) {
                db[i / (size * size) % out] += up[i];
            }
            return db;
        }
    }
}

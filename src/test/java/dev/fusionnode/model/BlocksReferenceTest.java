package dev.fusionnode.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.fusionnode.TestData;
import dev.fusionnode.model.checkpoint.Checkpoint;
import dev.fusionnode.model.checkpoint.TorchTensor;
import dev.fusionnode.model.checkpoint.TorchTensors;
import dev.fusionnode.model.nn.Conv;
import dev.fusionnode.model.nn.ConvTranspose;
import dev.fusionnode.model.nn.GroupNormBlock;
import dev.fusionnode.model.nn.LayerNormBlock;
import dev.fusionnode.model.nn.Ops;
import dev.fusionnode.model.nn.TorchStyleBlock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verifies each building block against values PyTorch 1.13 computed on fixed inputs ({@code
 * fixtures/torch/blocks.pth}, made by {@code src/test/python/make_torch_fixtures.py}).
 */
class BlocksReferenceTest {
    private static Map<String, TorchTensor> ref;
    private static NDManager m;

    @BeforeAll
    static void load() {
        ref = Checkpoint.load(TestData.resource("fixtures/torch/blocks.pth")).stateDict();
        m = NDManager.newBaseManager("PyTorch");
    }

    /** Forwards that are not training run as the node runs them: recording no gradient. */
    @BeforeEach
    void noGradients() {
        JniUtils.setGradMode(false);
    }

    @AfterAll
    static void close() {
        m.close();
    }

    private static NDArray t(String name) {
        TorchTensor v = ref.get(name);
        assertThat(v).as(name).isNotNull();
        return TorchTensors.toNDArray(m, v);
    }

    private static void check(String name, NDArray got) {
        NDArray want = t(name);
        assertThat(got.getShape()).as(name).isEqualTo(want.getShape());
        float diff = got.sub(want).abs().max().getFloat();
        assertThat(diff).as(name).isLessThan(1e-4f * Math.max(1, want.abs().max().getFloat()));
    }

    private static NDArray run(TorchStyleBlock b, String prefix, NDArray x) {
        return run(b, prefix, x, false);
    }

    private static NDArray run(TorchStyleBlock b, String prefix, NDArray x, boolean training) {
        b.initialize(m, DataType.FLOAT32, new Shape(1));
        Map<String, TorchTensor> params = new HashMap<>();
        for (String k : StateDictNames.of(b).keySet()) {
            params.put(prefix + k, ref.get(prefix + k));
        }
        params.values().removeIf(Objects::isNull);
        StateDicts.load(b, params, prefix, "blocks.pth");
        return b.forward(new ParameterStore(m, false), x, training);
    }

    @Test
    void geluIsExact() {
        check("gelu.y", Activation.gelu(t("gelu.x")));
    }

    @Test
    void layerNorm() {
        check("layernorm.y", run(new LayerNormBlock(24, 1e-6f), "layernorm.", t("layernorm.x")));
    }

    @Test
    void attention() {
        // libtorch's fused attention (inference) and the separate ops (training)
        check("attn.y", run(new Attention(24, 3), "attn.", t("attn.x"), false));
        check("attn.y", run(new Attention(24, 3), "attn.", t("attn.x"), true));
    }

    @Test
    void vitBlock() {
        Backbone b = new Backbone("test", 24, 1, 3, false);
        check("vit_block.y", run(new TransformerBlock(b), "vit_block.", t("vit_block.x")));
    }

    @Test
    void bilinearAlignCorners() {
        // libtorch's kernel (inference) and the differentiable gathers (training)
        check("upsample_bilinear2x.y", Ops.upsample2x(t("upsample_bilinear2x.x"), false));
        check("upsample_bilinear2x.y", Ops.upsample2x(t("upsample_bilinear2x.x"), true));
    }

    @Test
    void convTransposeK4AndK2() {
        check(
                "conv_transpose_k4s4.y",
                run(
                        new ConvTranspose(6, 4, 4),
                        "conv_transpose_k4s4.",
                        t("conv_transpose_k4s4.x")));
        check(
                "conv_transpose_k2s2.y",
                run(
                        new ConvTranspose(6, 4, 2),
                        "conv_transpose_k2s2.",
                        t("conv_transpose_k2s2.x")));
    }

    @Test
    void convStride2() {
        check("conv_k2s2.y", run(Conv.of(6, 4, 2, 2, 0), "conv_k2s2.", t("conv_k2s2.x")));
    }

    @Test
    void groupNorm() {
        for (boolean training : new boolean[] {false, true}) {
            check(
                    "groupnorm.y",
                    run(
                            new GroupNormBlock(32, 64, 1e-5f, false),
                            "groupnorm.",
                            t("groupnorm.x"),
                            training));
        }
    }

    @Test
    void weightStandardisedSameConvs() {
        record C(String name, int in, int out, int k, int s) {}
        for (C c :
                new C[] {
                    new C("stdconv_7x7s2", 3, 8, 7, 2),
                    new C("stdconv_3x3s2", 4, 6, 3, 2),
                    new C("stdconv_3x3s1", 4, 6, 3, 1),
                    new C("stdconv_1x1s1", 4, 6, 1, 1),
                    new C("stdconv_1x1s2", 4, 6, 1, 2)
                }) {
            for (String size : new String[] {"odd", "even"}) {
                for (boolean training : new boolean[] {false, true}) {
                    Conv conv = Conv.standardizedSame(c.in(), c.out(), c.k(), c.s(), 1e-8f);
                    conv.initialize(m, DataType.FLOAT32, new Shape(1));
                    StateDicts.load(
                            conv,
                            Map.of("weight", ref.get(c.name() + ".weight")),
                            "",
                            "blocks.pth");
                    check(
                            c.name() + "." + size + ".y",
                            conv.forward(
                                    new ParameterStore(m, false),
                                    t(c.name() + "." + size + ".x"),
                                    training));
                }
            }
        }
    }

    @Test
    void maxPoolSamePadsWithMinusInfinity() {
        for (String size : new String[] {"odd", "even"}) {
            String p = "maxpool_same_3x3s2." + size;
            check(p + ".y", Ops.maxPoolSame(t(p + ".x"), 3, 2));
        }
    }

    @Test
    void residualConvUnitAddsReluOfItsInput() {
        check("rcu.y", run(new ResidualConvUnit(4), "rcu.", t("rcu.x")));
    }

    @Test
    void projectionReadout() {
        NDArray tokens =
                run(new Reassemble.Read(8), "readout_projection.", t("readout_projection.x"));
        Shape s = tokens.getShape();
        check("readout_projection.y", tokens.transpose(0, 2, 1).reshape(s.get(0), s.get(2), 3, 4));
    }
}

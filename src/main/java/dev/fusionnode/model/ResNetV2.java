package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.fusionnode.model.nn.Conv;
import dev.fusionnode.model.nn.GroupNormBlock;
import dev.fusionnode.model.nn.IndexedBlocks;
import dev.fusionnode.model.nn.Ops;
import dev.fusionnode.model.nn.TorchStyleBlock;

/**
 * The ResNetV2-50 stem of timm's {@code vit_base_r50_s16_384} (clft/README "Architecture
 * constants"): weight-standardised "SAME" convolutions without bias, GroupNorm(32, eps 1e-5), stem
 * conv 7x7/2 + norm/ReLU + max-pool 3x3/2, then three stages of (3, 4, 9) plain bottlenecks (stride
 * on the 3x3 conv; 256, 512, 1024 channels; strides 1, 2, 2): 1024 x H/16 x W/16.
 */
final class ResNetV2 extends TorchStyleBlock {
    static final float STD_CONV_EPS = 1e-8f;
    static final float GROUP_NORM_EPS = 1e-5f;
    static final int GROUPS = 32;
    static final int[] DEPTHS = {3, 4, 9};
    static final int OUT_CHANNELS = 1024;

    private final Stem stem;
    private final IndexedBlocks<Stage> stages;

    ResNetV2() {
        stem = child("stem", new Stem());
        stages = child("stages", new IndexedBlocks<>());
        int in = 64;
        for (int i = 0; i < DEPTHS.length; i++) {
            int out = 256 << i;
            stages.add(new Stage(in, out, DEPTHS[i], i == 0 ? 1 : 2));
            in = out;
        }
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return stages.forward(ps, stem.forward(ps, x, training), training);
    }

    /** conv 7x7/2 (3 -> 64), GroupNorm + ReLU, max-pool 3x3/2 "SAME". */
    static final class Stem extends TorchStyleBlock {
        private final Conv conv;
        private final GroupNormBlock norm;

        Stem() {
            conv = child("conv", Conv.standardizedSame(3, 64, 7, 2, STD_CONV_EPS));
            norm = child("norm", new GroupNormBlock(GROUPS, 64, GROUP_NORM_EPS, true));
        }

        @Override
        public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            return Ops.maxPoolSame(norm.forward(ps, conv.forward(ps, x, training), training), 3, 2);
        }
    }

    /** A stage: {@code blocks.0..n-1}. */
    static final class Stage extends TorchStyleBlock {
        private final IndexedBlocks<Bottleneck> blocks;

        Stage(int in, int out, int depth, int stride) {
            blocks = child("blocks", new IndexedBlocks<>());
            for (int i = 0; i < depth; i++) {
                blocks.add(new Bottleneck(i == 0 ? in : out, out, i == 0 ? stride : 1, i == 0));
            }
        }

        @Override
        public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            return blocks.forward(ps, x, training);
        }
    }

    /**
     * ReLU(norm3(conv3(act(norm2(conv2(act(norm1(conv1(x)))))))) + shortcut), shortcut = the
     * downsample (1x1 conv + GroupNorm, no act) in the first block of a stage.
     */
    static final class Bottleneck extends TorchStyleBlock {
        private final Downsample downsample;
        private final Conv conv1;
        private final GroupNormBlock norm1;
        private final Conv conv2;
        private final GroupNormBlock norm2;
        private final Conv conv3;
        private final GroupNormBlock norm3;

        Bottleneck(int in, int out, int stride, boolean withDownsample) {
            int mid = out / 4;
            downsample =
                    withDownsample ? child("downsample", new Downsample(in, out, stride)) : null;
            conv1 = child("conv1", Conv.standardizedSame(in, mid, 1, 1, STD_CONV_EPS));
            norm1 = child("norm1", new GroupNormBlock(GROUPS, mid, GROUP_NORM_EPS, true));
            conv2 = child("conv2", Conv.standardizedSame(mid, mid, 3, stride, STD_CONV_EPS));
            norm2 = child("norm2", new GroupNormBlock(GROUPS, mid, GROUP_NORM_EPS, true));
            conv3 = child("conv3", Conv.standardizedSame(mid, out, 1, 1, STD_CONV_EPS));
            norm3 = child("norm3", new GroupNormBlock(GROUPS, out, GROUP_NORM_EPS, false));
        }

        @Override
        public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            NDArray shortcut = downsample == null ? x : downsample.forward(ps, x, training);
            NDArray y = norm1.forward(ps, conv1.forward(ps, x, training), training);
            y = norm2.forward(ps, conv2.forward(ps, y, training), training);
            y = norm3.forward(ps, conv3.forward(ps, y, training), training);
            return Activation.relu(y.add(shortcut));
        }
    }

    /** 1x1 standardised conv with the stage stride, then GroupNorm without activation. */
    static final class Downsample extends TorchStyleBlock {
        private final Conv conv;
        private final GroupNormBlock norm;

        Downsample(int in, int out, int stride) {
            conv = child("conv", Conv.standardizedSame(in, out, 1, stride, STD_CONV_EPS));
            norm = child("norm", new GroupNormBlock(GROUPS, out, GROUP_NORM_EPS, false));
        }

        @Override
        public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            return norm.forward(ps, conv.forward(ps, x, training), training);
        }
    }
}

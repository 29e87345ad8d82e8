package dev.fusionnode.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;

/**
 * timm's {@code GroupNormAct}: {@code nn.GroupNorm} (biased variance per group of channels) with an
 * optional ReLU after it. Parameters {@code weight}, {@code bias} (channels).
 */
public final class GroupNormBlock extends TorchStyleBlock {
    private final Parameter weight;
    private final Parameter bias;
    private final int groups;
    private final int channels;
    private final float eps;
    private final boolean relu;

    /**
     * @param groups number of groups (must divide {@code channels})
     * @param channels channels normalised
     * @param eps added to the variance (ResNetV2: 1e-5)
     * @param relu apply ReLU after the affine transform
     */
    public GroupNormBlock(int groups, int channels, float eps, boolean relu) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(groups + " groups do not divide " + channels);
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.relu = relu;
        weight = param("weight", new Shape(channels), new ConstantInitializer(1));
        bias = param("bias", new Shape(channels), new ConstantInitializer(0));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = value(ps, weight, x, training);
        NDArray b = value(ps, bias, x, training);
        if (x instanceof PtNDArray px
                && w instanceof PtNDArray pw
                && b instanceof PtNDArray pb
                && TorchKernels.applies(training)) {
            NDArray y = TorchKernels.groupNorm(px, groups, pw, pb, eps);
            return relu ? Activation.relu(y) : y;
        }
        Shape s = x.getShape();
        NDArray g = x.reshape(s.get(0), groups, -1);
        NDArray mean = g.mean(new int[] {2}, true);
        NDArray centred = g.sub(mean);
        NDArray var = centred.square().mean(new int[] {2}, true);
        NDArray norm = centred.div(var.add(Ops.scalar(var, eps)).sqrt()).reshape(s);
        NDArray y =
                norm.mul(local(w.reshape(1, channels, 1, 1), x))
                        .add(local(b.reshape(1, channels, 1, 1), x));
        return relu ? Activation.relu(y) : y;
    }
}

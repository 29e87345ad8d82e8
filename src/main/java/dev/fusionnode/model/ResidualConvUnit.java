package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.fusionnode.model.nn.Conv;
import dev.fusionnode.model.nn.TorchStyleBlock;

/**
 * DPT's residual conv unit: conv2(ReLU(conv1(ReLU(x)))) + ReLU(x). PyTorch's first ReLU runs in
 * place on x, so its skip adds ReLU(x), not x (clft-spec §3.3); reproduced here to match the
 * weights.
 */
final class ResidualConvUnit extends TorchStyleBlock {
    private final Conv conv1;
    private final Conv conv2;

    ResidualConvUnit(int channels) {
        conv1 = child("conv1", Conv.of(channels, channels, 3, 1, 1));
        conv2 = child("conv2", Conv.of(channels, channels, 3, 1, 1));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray activated = Activation.relu(x);
        NDArray y1 = conv1.forward(ps, activated, training);
        NDArray r1 = Activation.relu(y1);
        release(training, y1);
        NDArray y2 = conv2.forward(ps, r1, training);
        release(training, r1);
        NDArray out = y2.add(activated);
        release(training, y2, activated);
        return out;
    }
}

package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.fusionnode.model.nn.Conv;
import dev.fusionnode.model.nn.IndexedBlocks;
import dev.fusionnode.model.nn.Ops;
import dev.fusionnode.model.nn.TorchStyleBlock;

/**
 * DPT's {@code HeadSeg} ({@code head_segmentation.head}): [0] conv 3x3 R -> R/2, [1] bilinear x2
 * (align_corners), [2] conv 3x3 R/2 -> 32, [3] ReLU, [4] conv 1x1 32 -> C. Logits, no softmax.
 */
final class SegmentationHead extends TorchStyleBlock {
    private final IndexedBlocks<Conv> head;

    SegmentationHead(int channels, int classes) {
        head = child("head", new IndexedBlocks<>());
        head.add(0, Conv.of(channels, channels / 2, 3, 1, 1));
        head.add(2, Conv.of(channels / 2, 32, 3, 1, 1));
        head.add(4, Conv.of(32, classes, 1, 1, 0));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray halved = head.get(0).forward(ps, x, training);
        NDArray up = Ops.upsample2x(halved, training);
        release(training, halved);
        NDArray y = head.get(1).forward(ps, up, training);
        release(training, up);
        NDArray activated = Activation.relu(y);
        release(training, y);
        NDArray logits = head.get(2).forward(ps, activated, training);
        release(training, activated);
        return logits;
    }
}

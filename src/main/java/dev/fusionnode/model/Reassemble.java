package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.fusionnode.model.nn.Conv;
import dev.fusionnode.model.nn.ConvTranspose;
import dev.fusionnode.model.nn.Dense;
import dev.fusionnode.model.nn.IndexedBlocks;
import dev.fusionnode.model.nn.TorchStyleBlock;

/**
 * One reassemble stage (clft-spec §3.2): "projection" readout (each patch token concatenated with
 * the class token, Linear 2D -> D, exact GELU), tokens to a (B, D, h, w) map, 1x1 conv to the
 * decoder width, then resampling by the stage factor: ConvTranspose 4/4 (x4), 2/2 (x2), identity
 * (s=16, no {@code conv2}), or Conv 2/2 (s=32).
 */
final class Reassemble extends TorchStyleBlock {
    private final Read read;
    private final Resample resample;
    private final int grid;

    Reassemble(ClftSpec spec, int factor) {
        grid = spec.grid();
        read = child("read", new Read(spec.embDim()));
        resample = child("resample", new Resample(spec.embDim(), spec.resampleDim(), factor));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray tokens, boolean training) {
        NDArray projected = read.forward(ps, tokens, training);
        Shape s = projected.getShape();
        NDArray map = projected.transpose(0, 2, 1).reshape(s.get(0), s.get(2), grid, grid);
        return resample.forward(ps, map, training);
    }

    /** {@code read.project = Sequential(Linear(2D, D), GELU)}. */
    static final class Read extends TorchStyleBlock {
        private final IndexedBlocks<Dense> project;

        Read(int width) {
            project = child("project", new IndexedBlocks<>());
            project.add(0, new Dense(2 * width, width));
        }

        @Override
        public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            long n = x.getShape().get(1);
            NDArray cls = x.get(":, 0:1, :");
            NDArray patches = x.get(":, 1:, :");
            NDArray readout = cls.broadcast(patches.getShape());
            NDArray joined = patches.concat(readout, 2);
            assert n == patches.getShape().get(1) + 1;
            return Activation.gelu(project.get(0).forward(ps, joined, training));
        }
    }

    /** {@code conv1} (1x1 D -> R) and the factor's {@code conv2}. */
    static final class Resample extends TorchStyleBlock {
        private final Conv conv1;
        private final TorchStyleBlock conv2;

        Resample(int width, int dim, int factor) {
            conv1 = child("conv1", Conv.of(width, dim, 1, 1, 0));
            conv2 =
                    switch (factor) {
                        case 4 -> child("conv2", new ConvTranspose(dim, dim, 4));
                        case 8 -> child("conv2", new ConvTranspose(dim, dim, 2));
                        case 16 -> null;
                        case 32 -> child("conv2", Conv.of(dim, dim, 2, 2, 0));
                        default -> throw new IllegalArgumentException("factor " + factor);
                    };
        }

        @Override
        public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
            NDArray y = conv1.forward(ps, x, training);
            return conv2 == null ? y : conv2.forward(ps, y, training);
        }
    }
}

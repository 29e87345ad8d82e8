package dev.fusionnode.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/**
 * Base of the blocks in this package: parameters with PyTorch names and fixed shapes, children in
 * PyTorch registration order, and a single-array forward.
 */
public abstract class TorchStyleBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    protected TorchStyleBlock() {
        super(VERSION);
    }

    /** Declares a parameter with its PyTorch name and shape. */
    protected final Parameter param(String name, Shape shape, Initializer init) {
        return addParameter(
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(shape)
                        .optInitializer(init)
                        .build());
    }

    /** Adds a child under its PyTorch attribute name (DJL prefixes a two-digit position). */
    protected final <B extends Block> B child(String name, B block) {
        return addChildBlock(name, block);
    }

    /** The value of {@code p} on the device of {@code like}. */
    protected static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return ps.getValue(p, like.getDevice(), training);
    }

    /**
     * Hands an array computed from a parameter over to the manager of {@code like} (the batch). DJL
     * attaches an op's result to the manager of the array it was called on, so a reshape of a
     * weight would otherwise live in the model's manager until the model closes: one leak per
     * batch. Never pass a parameter's own array here.
     */
    protected static NDArray local(NDArray derived, NDArray like) {
        derived.attach(like.getManager());
        return derived;
    }

    /**
     * Frees intermediate arrays of a forward that records no gradient as soon as they are used, as
     * libtorch frees a graph's dead tensors: otherwise they live until the batch's manager closes,
     * the allocator cannot reuse their memory for the next layer, and every large activation is
     * fresh memory the kernel has to fault in page by page. In training autograd needs them, so
     * nothing is freed. Never pass an array the caller still uses (the input of a forward).
     */
    protected static void release(boolean training, NDArray... used) {
        if (training) {
            return;
        }
        for (NDArray a : used) {
            if (a != null) {
                a.close();
            }
        }
    }

    /** The forward of one array. */
    public abstract NDArray forward(ParameterStore ps, NDArray x, boolean training);

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
        for (Pair<String, Block> c : getChildren()) {
            c.getValue().initialize(manager, dataType, shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " does not infer shapes; its parameters have theirs");
    }
}

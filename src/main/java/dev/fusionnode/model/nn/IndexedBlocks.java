package dev.fusionnode.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's {@code nn.ModuleList} / {@code nn.Sequential} naming: children named by their index
 * ({@code blocks.0}, {@code head.2}). Indices may skip parameter-free positions.
 *
 * @param <B> element type
 */
public final class IndexedBlocks<B extends TorchStyleBlock> extends TorchStyleBlock {
    private final List<B> items = new ArrayList<>();

    /** Adds {@code block} under index {@code index}. */
    public B add(int index, B block) {
        items.add(child(Integer.toString(index), block));
        return block;
    }

    /** Adds {@code block} under the next index. */
    public B add(B block) {
        return add(items.size(), block);
    }

    /** The i-th added block. */
    public B get(int i) {
        return items.get(i);
    }

    /** Number of blocks. */
    public int size() {
        return items.size();
    }

    /** The blocks in order. */
    public List<B> items() {
        return List.copyOf(items);
    }

    /** Runs the blocks in sequence. */
    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray y = x;
        for (B b : items) {
            y = b.forward(ps, y, training);
        }
        return y;
    }
}

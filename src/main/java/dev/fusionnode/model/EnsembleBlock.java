package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.fusionnode.model.nn.Ops;
import dev.fusionnode.model.nn.TorchStyleBlock;
import java.util.List;

/**
 * The paper's specialist ensemble (clft-spec §3.10): three 2-class CLFT models (vehicle, sign,
 * human) run on the same inputs; each is softmaxed and its class-1 probability p_k kept; the output
 * is the 4-channel map [1 - max_k p_k, p_vehicle, p_sign, p_human] (classes background, vehicle,
 * sign, human, in that fixed order), whose argmax is the label. Probabilities, not logits.
 */
public final class EnsembleBlock extends TorchStyleBlock {
    /** Member names, in output channel order after background. */
    public static final List<String> MEMBERS = List.of("vehicle", "sign", "human");

    /** Output classes. */
    public static final List<String> CLASSES = List.of("background", "vehicle", "sign", "human");

    private final ClftBlock[] members = new ClftBlock[MEMBERS.size()];
    private final ClftSpec memberSpec;

    /** Three members of structure {@code memberSpec} (2 classes each). */
    public EnsembleBlock(ClftSpec memberSpec) {
        if (memberSpec.classes() != 2) {
            throw new IllegalArgumentException(
                    "ensemble members are 2-class models, the config has "
                            + memberSpec.classes()
                            + " classes");
        }
        this.memberSpec = memberSpec;
        for (int i = 0; i < members.length; i++) {
            members[i] = child(MEMBERS.get(i), new ClftBlock(memberSpec));
        }
    }

    /** The member for {@code name} (vehicle, sign or human). */
    public ClftBlock member(String name) {
        return members[MEMBERS.indexOf(name)];
    }

    /** Structure of each member. */
    public ClftSpec memberSpec() {
        return memberSpec;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList probs = new NDList();
        for (ClftBlock m : members) {
            NDArray logits = m.forward(ps, inputs, training, params).singletonOrThrow();
            probs.add(logits.softmax(1).get(":, 1:2"));
        }
        NDArray fg = NDArrays.concat(probs, 1);
        NDArray top = fg.max(new int[] {1}, true);
        NDArray background = top.neg().add(Ops.scalar(top, 1));
        return new NDList(background.concat(fg, 1));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return forwardInternal(ps, new NDList(x, x), training, null).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), CLASSES.size(), in.get(2), in.get(3))};
    }
}

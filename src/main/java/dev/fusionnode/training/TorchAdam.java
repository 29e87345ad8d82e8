package dev.fusionnode.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.fusionnode.model.nn.Ops;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam exactly as {@code torch.optim.Adam} computes it (no weight decay, no amsgrad): m ← β1·m +
 * (1-β1)·g, v ← β2·v + (1-β2)·g², w ← w - (lr / (1-β1^t))·m / (√v / √(1-β2^t) + ε). The moments
 * live in the trainer's manager. Used instead of DJL's Adam, whose PyTorch-engine update turned
 * finite weights and gradients into NaN after a few steps here.
 */
final class TorchAdam implements AutoCloseable {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final NDManager manager;
    private final Map<String, NDArray[]> moments = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();
    private final Map<DataType, NDArray[]> constants = new HashMap<>();

    TorchAdam(NDManager parent, double beta1, double beta2, double eps) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.manager = parent.newSubManager();
    }

    /** One update of {@code weight} (in place) with {@code grad} at learning rate {@code lr}. */
    void update(String id, NDArray weight, NDArray grad, double lr) {
        NDArray[] mv =
                moments.computeIfAbsent(
                        id,
                        k -> {
                            NDArray m = manager.zeros(weight.getShape(), weight.getDataType());
                            NDArray v = manager.zeros(weight.getShape(), weight.getDataType());
                            return new NDArray[] {m, v};
                        });
        int t = steps.merge(id, 1, Integer::sum);
        try (NDManager tmp = manager.newSubManager()) {
            NDArray g = grad.duplicate();
            g.attach(tmp);
            NDArray[] c = constants(g);
            mv[0].muli(c[0]).addi(g.mul(c[1]));
            mv[1].muli(c[2]).addi(g.mul(g).muli(c[3]));
            double bias1 = 1 - Math.pow(beta1, t);
            double bias2 = 1 - Math.pow(beta2, t);
            NDArray v = mv[1].duplicate();
            v.attach(tmp);
            NDArray m = mv[0].duplicate();
            m.attach(tmp);
            NDArray denom = v.sqrt().divi(Ops.scalar(g, Math.sqrt(bias2))).addi(c[4]);
            weight.subi(m.divi(denom).muli(Ops.scalar(g, lr / bias1)));
        }
    }

    /**
     * β1, 1-β1, β2, 1-β2 and ε as arrays of {@code like}'s data type, made once per data type and
     * kept in the optimiser's manager.
     */
    private NDArray[] constants(NDArray like) {
        return constants.computeIfAbsent(
                like.getDataType(),
                type -> {
                    NDArray[] c = {
                        Ops.scalar(like, beta1),
                        Ops.scalar(like, 1 - beta1),
                        Ops.scalar(like, beta2),
                        Ops.scalar(like, 1 - beta2),
                        Ops.scalar(like, eps)
                    };
                    for (NDArray a : c) {
                        a.attach(manager);
                    }
                    return c;
                });
    }

    /** Optimiser state: the step count of a parameter. */
    int step(String id) {
        return steps.getOrDefault(id, 0);
    }

    @Override
    public void close() {
        manager.close();
    }
}

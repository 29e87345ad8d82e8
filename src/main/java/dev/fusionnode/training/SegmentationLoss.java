package dev.fusionnode.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.fusionnode.model.nn.Ops;
import java.util.Locale;

/**
 * The training loss of a segmentation batch: {@code logits} (B, C, H, W) against {@code labels} (B,
 * H, W) of train-class indices, with one weight per class.
 *
 * <ul>
 *   <li>{@code ce}: the paper's weighted cross-entropy, {@code sum(w_y * -log p_y) / sum(w_y)};
 *   <li>{@code focal}: {@code sum(w_y * (1 - p_y)^gamma * -log p_y) / sum(w_y)} (Lin et al., with
 *       the class weights as alpha), which lowers the share of easy pixels;
 *   <li>{@code focal_dice}: focal plus {@code diceWeight * (1 - mean soft Dice)} over the
 *       foreground classes (1..C-1), where each class's Dice is {@code 2 sum(p*t) / (sum(p) +
 *       sum(t))} over the batch; Dice is indifferent to how rare a class is.
 * </ul>
 *
 * @param kind the loss
 * @param classWeights weight per train class
 * @param gamma focal exponent (focal losses)
 * @param diceWeight weight of the Dice term ({@code focal_dice})
 */
public record SegmentationLoss(Kind kind, float[] classWeights, double gamma, double diceWeight) {
    /** The losses. */
    public enum Kind {
        /** Weighted cross-entropy (the paper's). */
        CE,
        /** Weighted focal loss. */
        FOCAL,
        /** Weighted focal loss plus soft Dice. */
        FOCAL_DICE;

        /** Parses {@code ce}, {@code focal} or {@code focal_dice} (also {@code focal+dice}). */
        public static Kind parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT).replace('+', '_').replace('-', '_')) {
                case "ce", "cross_entropy", "weighted_ce" -> CE;
                case "focal" -> FOCAL;
                case "focal_dice" -> FOCAL_DICE;
                default ->
                        throw new IllegalArgumentException(
                                "unknown loss '" + s + "'; known: ce, focal, focal_dice");
            };
        }
    }

    /** Copies the weights and checks the parameters. */
    public SegmentationLoss {
        classWeights = classWeights.clone();
        if (!(gamma >= 0) || !(diceWeight >= 0)) {
            throw new IllegalArgumentException("gamma and diceWeight must be >= 0");
        }
    }

    /** The paper's weighted cross-entropy. */
    public static SegmentationLoss crossEntropy(float[] classWeights) {
        return new SegmentationLoss(Kind.CE, classWeights, 0, 0);
    }

    /** The scalar loss of a batch. */
    public NDArray compute(NDArray logits, NDArray labels) {
        return compute(logits, labels, null);
    }

    /**
     * The scalar loss of a batch whose pixels count {@code pixelScale} times (B, H, W): 0 leaves a
     * pixel out (no label), a sample weight below 1 lowers a pseudo-labelled frame's share. Null is
     * 1 everywhere. In the Dice term a pixel counts when its scale is above 0.
     */
    public NDArray compute(NDArray logits, NDArray labels, NDArray pixelScale) {
        int c = (int) logits.getShape().get(1);
        NDManager m = logits.getManager();
        NDArray logp = logits.logSoftmax(1);
        NDArray oneHot = labels.oneHot(c).transpose(0, 3, 1, 2);
        NDArray w = Ops.owned(m.create(classWeights)).reshape(1, c, 1, 1);
        NDArray pixelWeight = oneHot.mul(w).sum(new int[] {1});
        if (pixelScale != null) {
            pixelWeight = pixelWeight.mul(pixelScale);
        }
        NDArray logpTrue = logp.mul(oneHot).sum(new int[] {1});
        NDArray nll = logpTrue.neg();
        if (kind == Kind.CE) {
            return nll.mul(pixelWeight).sum().div(pixelWeight.sum());
        }
        NDArray pTrue = logpTrue.exp();
        NDArray focal =
                pTrue.neg()
                        .add(Ops.scalar(pTrue, 1))
                        .clip(0, 1)
                        .pow(Ops.scalar(pTrue, (float) gamma))
                        .mul(nll)
                        .mul(pixelWeight)
                        .sum()
                        .div(pixelWeight.sum());
        if (kind == Kind.FOCAL) {
            return focal;
        }
        NDArray p = logp.exp();
        if (pixelScale != null) {
            NDArray valid = pixelScale.gt(0).toType(p.getDataType(), false).expandDims(1);
            p = p.mul(valid);
            oneHot = oneHot.mul(valid);
        }
        int[] spatial = {0, 2, 3};
        NDArray inter = p.mul(oneHot).sum(spatial);
        NDArray denom = p.sum(spatial).add(oneHot.sum(spatial));
        NDArray smooth = Ops.scalar(inter, 1e-6f);
        NDArray dice = inter.mul(Ops.scalar(inter, 2)).add(smooth).div(denom.add(smooth));
        NDArray foreground = dice.get("1:");
        NDArray diceLoss = foreground.mean().neg().add(Ops.scalar(foreground, 1));
        return focal.add(diceLoss.mul(Ops.scalar(diceLoss, (float) diceWeight)));
    }
}

package dev.fusionnode.training;

import java.util.Arrays;
import java.util.List;

/**
 * The paper's evaluation (clft-spec §5.1): pixel counts summed over every batch of a split, not a
 * mean of per-image scores. Over the foreground classes 1..C-1 it counts true positives, predicted
 * and ground-truth pixels; per batch the union (pred + gt - tp) is clamped to at least 1e-6 before
 * it is summed. IoU = TP / union, precision = TP / pred, recall = TP / gt, F1 = 2PR / (P + R); mIoU
 * is the mean over the foreground classes (a class absent from both scores 0). Pixel accuracy
 * counts every pixel, background included; a C x C confusion matrix has rows = ground truth,
 * columns = prediction. Not thread-safe.
 */
public final class SegmentationMetrics {
    private static final double MIN_UNION = 1e-6;

    private final int classes;
    private final double[] tp;
    private final double[] predicted;
    private final double[] truth;
    private final double[] union;
    private final long[][] confusion;
    private long correct;
    private long pixels;

    /** An empty accumulator for {@code classes} train classes (background = 0). */
    public SegmentationMetrics(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException(
                    "need background and at least one class, got " + classes);
        }
        this.classes = classes;
        tp = new double[classes];
        predicted = new double[classes];
        truth = new double[classes];
        union = new double[classes];
        confusion = new long[classes][classes];
    }

    /**
     * Adds one batch: predicted and ground-truth class indices of every pixel of every image of the
     * batch, in the same order.
     *
     * @throws IllegalArgumentException on different lengths or an index outside 0..C-1
     */
    public void addBatch(byte[] prediction, byte[] target) {
        if (prediction.length != target.length) {
            throw new IllegalArgumentException(
                    "prediction has " + prediction.length + " pixels, target " + target.length);
        }
        long[] tpB = new long[classes];
        long[] predB = new long[classes];
        long[] gtB = new long[classes];
        long labelled = 0;
        for (int i = 0; i < prediction.length; i++) {
            int p = prediction[i] & 0xFF;
            int g = target[i] & 0xFF;
            if (g == TrainingSample.IGNORE) {
                continue; // no label here (a teacher's low-confidence pixel)
            }
            if (p >= classes || g >= classes) {
                throw new IllegalArgumentException(
                        "pixel "
                                + i
                                + ": class "
                                + Math.max(p, g)
                                + " is outside 0.."
                                + (classes - 1));
            }
            labelled++;
            confusion[g][p]++;
            predB[p]++;
            gtB[g]++;
            if (p == g) {
                tpB[p]++;
            }
        }
        for (int c = 0; c < classes; c++) {
            correct += tpB[c];
        }
        pixels += labelled;
        for (int c = 1; c < classes; c++) {
            tp[c] += tpB[c];
            predicted[c] += predB[c];
            truth[c] += gtB[c];
            union[c] += Math.max(predB[c] + gtB[c] - tpB[c], MIN_UNION);
        }
    }

    /** Pixels counted so far. */
    public long pixels() {
        return pixels;
    }

    /** The scores so far, with the classes named by index. */
    public SegmentationScores scores(List<String> classNames) {
        if (classNames.size() != classes) {
            throw new IllegalArgumentException(
                    classNames.size() + " class names for " + classes + " classes");
        }
        SegmentationScores.ClassScore[] perClass = new SegmentationScores.ClassScore[classes - 1];
        double miou = 0;
        double meanRecall = 0;
        double fw = 0;
        double gtTotal = 0;
        for (int c = 1; c < classes; c++) {
            double iou = union[c] > 0 ? tp[c] / union[c] : 0;
            double precision = predicted[c] > 0 ? tp[c] / predicted[c] : 0;
            double recall = truth[c] > 0 ? tp[c] / truth[c] : 0;
            double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
            perClass[c - 1] =
                    new SegmentationScores.ClassScore(
                            classNames.get(c), iou, precision, recall, f1, (long) truth[c]);
            miou += iou;
            meanRecall += recall;
            fw += truth[c] * iou;
            gtTotal += truth[c];
        }
        long[][] matrix = new long[classes][];
        for (int g = 0; g < classes; g++) {
            matrix[g] = Arrays.copyOf(confusion[g], classes);
        }
        return new SegmentationScores(
                List.of(perClass),
                miou / (classes - 1),
                meanRecall / (classes - 1),
                gtTotal > 0 ? fw / gtTotal : 0,
                pixels > 0 ? (double) correct / pixels : 0,
                matrix,
                classNames);
    }
}

package dev.fusionnode.training;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Scores of a split (clft-spec §5.1), as the paper's {@code test_results} JSON writes them.
 *
 * @param classes per foreground class
 * @param meanIou mean IoU over the foreground classes
 * @param meanAccuracy mean recall over the foreground classes
 * @param frequencyWeightedIou IoU weighted by each foreground class's ground-truth pixels
 * @param pixelAccuracy correct pixels over all pixels, background included
 * @param confusion rows = ground truth, columns = prediction
 * @param labels class names by index
 */
public record SegmentationScores(
        List<ClassScore> classes,
        double meanIou,
        double meanAccuracy,
        double frequencyWeightedIou,
        double pixelAccuracy,
        long[][] confusion,
        List<String> labels) {

    /**
     * One foreground class.
     *
     * @param name class name
     * @param iou intersection over union
     * @param precision TP / predicted
     * @param recall TP / ground truth
     * @param f1 harmonic mean of precision and recall
     * @param pixels ground-truth pixels
     */
    public record ClassScore(
            String name, double iou, double precision, double recall, double f1, long pixels) {}

    /** The IoU of {@code name}, or NaN when it is not a foreground class here. */
    public double iou(String name) {
        return classes.stream()
                .filter(c -> c.name().equals(name))
                .mapToDouble(ClassScore::iou)
                .findFirst()
                .orElse(Double.NaN);
    }

    /** The paper's per-split JSON: {@code {<class>: {...}, overall: {...}}}. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        for (ClassScore c : classes) {
            o.put(
                    c.name(),
                    new JsonObject()
                            .put("iou", c.iou())
                            .put("precision", c.precision())
                            .put("recall", c.recall())
                            .put("f1_score", c.f1())
                            .put("pixels", c.pixels()));
        }
        JsonArray matrix = new JsonArray();
        for (long[] row : confusion) {
            JsonArray r = new JsonArray();
            for (long v : row) {
                r.add(v);
            }
            matrix.add(r);
        }
        o.put(
                "overall",
                new JsonObject()
                        .put("mIoU_foreground", meanIou)
                        .put("mean_accuracy", meanAccuracy)
                        .put("fw_iou", frequencyWeightedIou)
                        .put("pixel_accuracy", pixelAccuracy)
                        .put("confusion_matrix", matrix)
                        .put("confusion_matrix_labels", new JsonArray(labels)));
        return o;
    }
}

package dev.fusionnode.training;

import dev.fusionnode.io.DatasetFrame;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Evaluates a model over a split: the paper's metrics (§5.1) and the mean weighted loss. */
final class Evaluator {
    /** Scores and mean loss of a split. */
    record Result(SegmentationScores scores, double loss, int frames) {}

    private Evaluator() {}

    static Result evaluate(
            ClftTrainer trainer,
            List<DatasetFrame> frames,
            SampleLoader samples,
            int batchSize,
            List<String> classNames,
            Batches batches) {
        SegmentationMetrics metrics = new SegmentationMetrics(classNames.size());
        List<List<DatasetFrame>> plan = Batches.plan(frames, batchSize, null, false);
        double lossSum = 0;
        int n = 0;
        CompletableFuture<List<TrainingSample>> next =
                plan.isEmpty() ? null : batches.load(plan.get(0), samples, 0);
        for (int b = 0; b < plan.size(); b++) {
            List<TrainingSample> batch = next.join();
            next = b + 1 < plan.size() ? batches.load(plan.get(b + 1), samples, b + 1) : null;
            ClftTrainer.BatchResult r = trainer.evaluateBatch(batch);
            metrics.addBatch(r.prediction(), ClftTrainer.targets(batch));
            lossSum += r.loss() * batch.size();
            n += batch.size();
        }
        return new Result(metrics.scores(classNames), n == 0 ? Double.NaN : lossSum / n, n);
    }
}

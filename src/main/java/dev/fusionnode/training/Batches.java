package dev.fusionnode.training;

import dev.fusionnode.io.DatasetFrame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Splits frames into batches (shuffled and without the last partial batch for training, as the
 * paper's loaders; in order and complete for evaluation) and loads the next batch on one background
 * thread while the current one trains.
 */
final class Batches implements AutoCloseable {
    private final ExecutorService loader =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "fusion-train-loader");
                        t.setDaemon(true);
                        return t;
                    });

    /** Frame batches: shuffled with {@code rnd} and full only, or in order with a partial last. */
    static List<List<DatasetFrame>> plan(
            List<DatasetFrame> frames, int batchSize, Random rnd, boolean training) {
        List<DatasetFrame> order = new ArrayList<>(frames);
        if (training) {
            Collections.shuffle(order, rnd);
        }
        List<List<DatasetFrame>> out = new ArrayList<>();
        for (int i = 0; i < order.size(); i += batchSize) {
            int end = Math.min(order.size(), i + batchSize);
            if (training && end - i < batchSize) {
                break;
            }
            out.add(order.subList(i, end));
        }
        return out;
    }

    /** Loads a batch on the loader thread; each frame gets its own seeded random draw. */
    CompletableFuture<List<TrainingSample>> load(
            List<DatasetFrame> batch, SampleLoader samples, long seed) {
        return CompletableFuture.supplyAsync(
                () -> {
                    List<TrainingSample> out = new ArrayList<>(batch.size());
                    for (int i = 0; i < batch.size(); i++) {
                        out.add(samples.load(batch.get(i), new Random(seed * 1_000_003L + i)));
                    }
                    return out;
                },
                loader);
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}

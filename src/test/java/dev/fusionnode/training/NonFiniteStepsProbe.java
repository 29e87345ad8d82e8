package dev.fusionnode.training;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.SegmentationOutput;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.testutil.SampleDriveBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the optimiser steps skipped for non-finite gradients over many steps on one fixed batch,
 * optionally while another thread runs inference on another model (as the node does while it
 * fine-tunes). Run from the repository root after {@code mvn test-compile}:
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/classpath.txt) \
 *     NonFiniteStepsProbe STEPS THREADS none|inference [SIZE]
 * </pre>
 *
 * A micro CLFT (cross_fusion) on two sample-drive frames resized to SIZE (default 128), batch 2.
 */
public final class NonFiniteStepsProbe {
    private NonFiniteStepsProbe() {}

    public static void main(String[] args) throws Exception {
        int steps = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        boolean beside = args[2].equals("inference");
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        Path tmp = Files.createTempDirectory("probe-");
        PaperConfig config = PaperConfig.read(SampleDriveBatch.microConfigAt(size, tmp));
        var spec = config.modelSpec();
        List<TrainingSample> batch = SampleDriveBatch.of(config, 0, 10);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong predictions = new AtomicLong();
        Thread inference = null;
        try (ClftModel served = ClftModel.random(spec, Device.cpu(), 1, "served");
                ClftModel model = ClftModel.random(spec, Device.cpu(), 2, "trained");
                ClftTrainer trainer =
                        new ClftTrainer(model, config.classWeights(), 1e-4, 0.99, threads)) {
            if (beside) {
                TrainingSample s = batch.get(0);
                ClftSample sample = new ClftSample(s.rgb(), s.lidar(), s.size());
                inference =
                        new Thread(
                                () -> {
                                    try (Predictor<ClftSample, SegmentationOutput> p =
                                            served.newPredictor(false)) {
                                        while (!stop.get()) {
                                            p.predict(sample);
                                            predictions.incrementAndGet();
                                        }
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                },
                                "inference");
                inference.start();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainer.trainBatch(batch);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            if (inference != null) {
                inference.join();
            }
            System.out.printf(
                    "RESULT steps %d threads %d beside %s size %d: skipped %d (%.2f%%), %.1f s,"
                            + " %d predictions beside%n",
                    steps,
                    threads,
                    args[2],
                    size,
                    trainer.skippedSteps(),
                    100.0 * trainer.skippedSteps() / steps,
                    s,
                    predictions.get());
        }
        try (var files = Files.list(tmp)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(tmp);
    }
}

package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import dev.fusionnode.model.ClftMode;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.model.SegmentationOutput;
import java.io.IOException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Soak: 2,000 batched inferences of a micro CLFT in one JVM; the process's resident memory (Java
 * heap and libtorch's native memory) must grow less than 5 % after warm-up, i.e. every NDArray of
 * every batch is freed with its batch. (Before arrays derived from weights were handed to the
 * batch's manager, RSS grew from 2 GB to 13.5 GB over this run.) Surefire runs it with {@code
 * MALLOC_ARENA_MAX=2}.
 */
class InferenceSoakTest {
    private static final int WARM_UP = 750;
    private static final int RUNS = 2_000;

    @Test
    void residentMemoryStaysFlatOver2000Batches() throws Exception {
        ClftSpec spec =
                ClftSpec.paper("vit_micro_patch16_384", 4, ClftMode.CROSS_FUSION)
                        .withResampleDim(16)
                        .withImageSize(64);
        try (ClftModel model = ClftModel.random(spec, Device.cpu(), 3, "soak");
                Predictor<ClftSample, SegmentationOutput> predictor = model.newPredictor(false)) {
            Random r = new Random(5);
            List<ClftSample> batch = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                float[] rgb = new float[3 * 64 * 64];
                float[] lidar = new float[3 * 64 * 64];
                for (int k = 0; k < rgb.length; k++) {
                    rgb[k] = (float) r.nextGaussian();
                    lidar[k] = r.nextFloat();
                }
                batch.add(new ClftSample(rgb, lidar, 64));
            }
            long before = 0;
            for (int i = 1; i <= WARM_UP; i++) {
                predictor.batchPredict(batch);
                if (i % 250 == 0) {
                    // the measurement itself (GC, file reads) is part of the warm-up
                    before = settledRssKb();
                }
            }
            StringBuilder samples = new StringBuilder();
            for (int i = 1; i <= RUNS; i++) {
                assertThat(predictor.batchPredict(batch)).hasSize(2);
                if (i % 250 == 0) {
                    samples.append(' ').append(settledRssKb());
                }
            }
            long after = settledRssKb();
            System.out.println("soak: RSS KiB every 250 batches:" + samples);
            System.out.printf(
                    "soak: RSS %d KiB after warm-up, %d KiB after %d batches (%+.2f %%); heap"
                            + " committed %d MiB%n",
                    before,
                    after,
                    RUNS,
                    100.0 * (after - before) / before,
                    Runtime.getRuntime().totalMemory() >> 20);
            assertThat(after).isLessThan((long) (before * 1.05));
        }
    }

    private static long settledRssKb() throws IOException, InterruptedException {
        awaitCollection();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** Runs a collection and waits until it has cleared a fresh weakly-held object. */
    private static void awaitCollection() throws InterruptedException {
        ReferenceQueue<Object> cleared = new ReferenceQueue<>();
        WeakReference<Object> ref = new WeakReference<>(new Object(), cleared);
        for (int i = 0; i < 20 && cleared.remove(100) == null; i++) {
            System.gc();
        }
        assertThat(ref.get()).as("a collection ran").isNull();
    }
}

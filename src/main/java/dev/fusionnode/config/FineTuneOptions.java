package dev.fusionnode.config;

import java.nio.file.Path;

/**
 * On-vehicle learning ({@code training} block): where annotated frames, fine-tune runs and model
 * versions live, and the defaults of a fine-tune job.
 *
 * @param enabled accept annotations and fine-tune jobs
 * @param storeDir the annotated-frame store (a ZOD-layout dataset)
 * @param maxStoreBytes store size bound; the oldest frames are evicted beyond it
 * @param workDir fine-tune runs' logs and checkpoints ({@code <workDir>/<job id>/})
 * @param registryDir kept model versions ({@code <version>.pth} and {@code registry.json})
 * @param epochs default epochs of a job
 * @param lr default learning rate (transfer learning: 1e-5; the paper uses 1e-6 to 3e-5)
 * @param batchSize default batch size
 * @param accumulateReplay store the annotated frames of replayed dataset splits
 */
public record FineTuneOptions(
        boolean enabled,
        Path storeDir,
        long maxStoreBytes,
        Path workDir,
        Path registryDir,
        int epochs,
        double lr,
        int batchSize,
        boolean accumulateReplay) {

    /** Reads the {@code training} block. */
    public static FineTuneOptions from(ConfigReader r) {
        FineTuneOptions o =
                new FineTuneOptions(
                        r.bool("enabled", true),
                        Path.of(r.string("storeDir", "var/annotations")),
                        r.longValue("maxStoreBytes", 2L << 30, 1 << 20, Long.MAX_VALUE),
                        Path.of(r.string("workDir", "var/finetune")),
                        Path.of(r.string("registryDir", "var/models")),
                        r.integer("epochs", 3, 1, 10_000),
                        r.number("lr", 1e-5, 1e-9, 1),
                        r.integer("batchSize", 4, 1, 1024),
                        r.bool("accumulateReplay", false));
        r.rejectUnknownKeys();
        return o;
    }
}

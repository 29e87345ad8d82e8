package dev.fusionnode.learning;

import dev.fusionnode.config.ConfigReader;
import dev.fusionnode.inference.ModelOptions;
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
 * @param keepVersions model versions kept at most (the oldest go first; the one in service and the
 *     configured one always stay)
 * @param keepJobRuns fine-tune work folders kept at most (the oldest go first); a finished run
 *     keeps its logs, its checkpoints are deleted once the best one is in the registry
 * @param epochs default epochs of a job
 * @param lr default learning rate (transfer learning: 1e-5; the paper uses 1e-6 to 3e-5)
 * @param batchSize default batch size
 * @param accumulateReplay store the annotated frames of replayed dataset splits
 * @param unlabelledDir frames kept without a label (hard frames for people, sampled frames for the
 *     teacher)
 * @param maxUnlabelledBytes bound of that store; the oldest frames go beyond it
 * @param hardFrames capture of unfamiliar frames for annotation
 * @param sampleEvery keep every n-th segmented frame for the teacher (0: none)
 * @param teacher the teacher model that labels the sampled frames
 * @param restoreServedModel at start, serve the version last promoted or activated (kept in the
 *     registry) instead of the configured model, as before the restart; false pins the configured
 */
public record FineTuneOptions(
        boolean enabled,
        Path storeDir,
        long maxStoreBytes,
        Path workDir,
        Path registryDir,
        int keepVersions,
        int keepJobRuns,
        int epochs,
        double lr,
        int batchSize,
        boolean accumulateReplay,
        Path unlabelledDir,
        long maxUnlabelledBytes,
        HardFrames hardFrames,
        int sampleEvery,
        Teacher teacher,
        boolean restoreServedModel) {

    /**
     * Hard-frame capture ({@code training.hardFrames}): a segmented frame whose unfamiliarity (the
     * share of pixels below {@code inference.lowConfidence}) is at least {@code threshold} is kept
     * for annotation, at most one per {@code minIntervalMs}. Hard frames wait for the store's
     * writer apart from sampled ones, so a busy teacher feed never crowds them out; beyond {@code
     * maxPending} waiting hard frames (the disk cannot keep up), a new one is counted as {@code
     * hard_skipped} and not kept.
     *
     * @param enabled capture
     * @param threshold unfamiliarity from which a frame is kept, 0..1
     * @param minIntervalMs least time between two kept frames
     * @param maxPending hard frames waiting to be written at most (each holds its images)
     */
    public record HardFrames(
            boolean enabled, double threshold, long minIntervalMs, int maxPending) {
        static HardFrames from(ConfigReader r) {
            HardFrames h =
                    new HardFrames(
                            r.bool("enabled", true),
                            r.number("threshold", 0.1, 0, 1),
                            r.longValue("minIntervalMs", 1000, 0, 86_400_000),
                            r.integer("maxPending", 16, 1, 10_000));
            r.rejectUnknownKeys();
            return h;
        }
    }

    /**
     * The teacher ({@code training.teacher}): a larger or ensemble model that labels sampled frames
     * in the background while the node has headroom; pixels it is less sure of than {@code
     * confidenceThreshold} stay unlabelled.
     *
     * @param enabled run the teacher
     * @param model its config and checkpoint (as {@code inference.model})
     * @param confidenceThreshold top softmax probability below which a pixel is left unlabelled
     * @param maxPerMinute frames labelled per minute at most (bounds its share of the CPU)
     * @param threads libtorch threads of the teacher (1 leaves the other cores to inference)
     */
    public record Teacher(
            boolean enabled,
            ModelOptions model,
            double confidenceThreshold,
            int maxPerMinute,
            int threads) {
        static Teacher from(ConfigReader r) {
            Teacher t =
                    new Teacher(
                            r.bool("enabled", false),
                            ModelOptions.from(r.child("model")),
                            r.number("confidenceThreshold", 0.7, 0, 1),
                            r.integer("maxPerMinute", 60, 1, 100_000),
                            r.integer("threads", 1, 1, 256));
            r.rejectUnknownKeys();
            if (t.enabled() && t.model().checkpoint().isEmpty()) {
                throw r.invalid("model", "a teacher needs a checkpoint (training.teacher.model)");
            }
            return t;
        }
    }

    /** Reads the {@code training} block. */
    public static FineTuneOptions from(ConfigReader r) {
        FineTuneOptions o =
                new FineTuneOptions(
                        r.bool("enabled", true),
                        Path.of(r.string("storeDir", "var/annotations")),
                        r.longValue("maxStoreBytes", 2L << 30, 1 << 20, Long.MAX_VALUE),
                        Path.of(r.string("workDir", "var/finetune")),
                        Path.of(r.string("registryDir", "var/models")),
                        r.integer("keepVersions", 10, 2, 100_000),
                        r.integer("keepJobRuns", 10, 1, 100_000),
                        r.integer("epochs", 3, 1, 10_000),
                        r.number("lr", 1e-5, 1e-9, 1),
                        r.integer("batchSize", 4, 1, 1024),
                        r.bool("accumulateReplay", false),
                        Path.of(r.string("unlabelledDir", "var/unlabelled")),
                        r.longValue("maxUnlabelledBytes", 1L << 30, 1 << 20, Long.MAX_VALUE),
                        HardFrames.from(r.child("hardFrames")),
                        r.integer("sampleEvery", 0, 0, 1_000_000),
                        Teacher.from(r.child("teacher")),
                        r.bool("restoreServedModel", true));
        r.rejectUnknownKeys();
        return o;
    }
}

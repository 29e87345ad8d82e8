package dev.fusionnode.inference;

import dev.fusionnode.config.ConfigReader;
import dev.fusionnode.config.EnumNames;

/**
 * The inference stage.
 *
 * @param enabled run the model (false: fused frames end the pipeline)
 * @param model the model served
 * @param maxBatch largest batch
 * @param maxDelayMs longest a frame waits for its batch to fill
 * @param workers inference threads, each with its own predictor
 * @param device {@code auto} (GPU when present), {@code cpu} or {@code gpu}
 * @param fp16 half precision on a GPU
 * @param threads libtorch intra-op threads (0: the cores minus one, at least one)
 * @param lowConfidence a pixel whose top softmax probability is below this is "low confidence"; the
 *     fraction of such pixels is the frame's unfamiliarity score
 * @param batching {@code size} (any frames, by size and delay) or {@code instant} (the cameras of
 *     one capture instant)
 * @param camerasPerInstant cameras of one instant, for {@code instant} batching (0: {@code
 *     maxBatch})
 * @param instantToleranceMs capture times this close belong to one instant
 * @param idle how a worker waits for frames: {@code park} (it sleeps until one comes) or {@code
 *     spin} (it polls, keeping its core busy: steadier forwards where cores are dedicated)
 * @param cpus CPUs reserved for the inference workers, in Linux's list format ({@code "3"}, {@code
 *     "2-3"}); the rest of the node runs on the others (empty: no pinning)
 */
public record InferenceOptions(
        boolean enabled,
        ModelOptions model,
        int maxBatch,
        long maxDelayMs,
        int workers,
        String device,
        boolean fp16,
        int threads,
        double lowConfidence,
        BatchPolicy.Grouping batching,
        int camerasPerInstant,
        long instantToleranceMs,
        Idle idle,
        CpuList cpus) {

    /** How a worker waits for frames. */
    public enum Idle {
        /** It sleeps until a frame comes. */
        PARK,
        /** It polls, keeping its core busy: steadier forwards where cores are dedicated. */
        SPIN
    }

    /** Defaults: enabled, micro model, batches of up to 4 within 20 ms, one worker. */
    public static InferenceOptions defaults() {
        return new InferenceOptions(
                true,
                ModelOptions.defaults(),
                4,
                20,
                1,
                "auto",
                false,
                0,
                0.5,
                BatchPolicy.Grouping.SIZE,
                0,
                10,
                Idle.PARK,
                CpuList.NONE);
    }

    /**
     * One model off the serving path (a teacher, an offline labeller): batch 1, one worker, {@code
     * threads} libtorch threads on {@code device}.
     */
    public static InferenceOptions single(ModelOptions model, String device, int threads) {
        return new InferenceOptions(
                true,
                model,
                1,
                0,
                1,
                device,
                false,
                threads,
                0.5,
                BatchPolicy.Grouping.SIZE,
                0,
                10,
                Idle.PARK,
                CpuList.NONE);
    }

    /** A copy with inference switched off (tests of the stages before it). */
    public InferenceOptions disabled() {
        return new InferenceOptions(
                false,
                model,
                maxBatch,
                maxDelayMs,
                workers,
                device,
                fp16,
                threads,
                lowConfidence,
                batching,
                camerasPerInstant,
                instantToleranceMs,
                idle,
                cpus);
    }

    /** Reads the {@code inference} block. */
    public static InferenceOptions from(ConfigReader r) {
        InferenceOptions d = defaults();
        String device = r.string("device", d.device());
        if (!device.equals("auto") && !device.equals("cpu") && !device.equals("gpu")) {
            throw r.invalid("device", "must be 'auto', 'cpu' or 'gpu', found '" + device + "'");
        }
        BatchPolicy.Grouping batching =
                r.parsed(
                        "batching",
                        d.batching(),
                        v -> EnumNames.parse(BatchPolicy.Grouping.class, v));
        Idle idle = r.parsed("idle", d.idle(), v -> EnumNames.parse(Idle.class, v));
        InferenceOptions o =
                new InferenceOptions(
                        r.bool("enabled", d.enabled()),
                        ModelOptions.from(r.child("model")),
                        r.integer("maxBatch", d.maxBatch(), 1, 64),
                        r.longValue("maxDelayMs", d.maxDelayMs(), 0, 10_000),
                        r.integer("workers", d.workers(), 1, 16),
                        device,
                        r.bool("fp16", d.fp16()),
                        r.integer("threads", d.threads(), 0, 256),
                        r.number("lowConfidence", d.lowConfidence(), 0, 1),
                        batching,
                        r.integer("camerasPerInstant", d.camerasPerInstant(), 0, 64),
                        r.longValue("instantToleranceMs", d.instantToleranceMs(), 0, 10_000),
                        idle,
                        r.parsed("cpus", d.cpus(), CpuList::parse));
        r.rejectUnknownKeys();
        return o;
    }

    /** The batching rule these options describe. */
    public BatchPolicy batchPolicy() {
        return new BatchPolicy(
                maxBatch,
                maxDelayMs * 1_000_000L,
                batching,
                camerasPerInstant > 0 ? camerasPerInstant : maxBatch,
                instantToleranceMs * 1_000_000L);
    }

    /** Whether workers poll for frames instead of sleeping until one comes. */
    public boolean spins() {
        return idle == Idle.SPIN;
    }

    /**
     * The libtorch thread count to use on a machine with {@code cores} cores: the configured count,
     * else the reserved CPUs shared among the workers, else the cores minus one.
     */
    public int effectiveThreads(int cores) {
        if (threads > 0) {
            return threads;
        }
        return cpus.isEmpty() ? Math.max(1, cores - 1) : Math.max(1, cpus.size() / workers);
    }
}

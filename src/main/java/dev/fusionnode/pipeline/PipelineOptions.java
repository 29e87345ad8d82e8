package dev.fusionnode.pipeline;

import dev.fusionnode.config.ConfigReader;

/**
 * Flow control across the pipeline.
 *
 * @param maxInFlight frames admitted into the pipeline and not yet done; sources wait (lossless) or
 *     queue (live) beyond it
 * @param liveQueue frames a live source holds while the pipeline is full; the oldest is dropped
 *     beyond it
 * @param blockingThreads worker threads for projection, and as many for the replay's reads ahead (a
 *     pool of their own); keep small on 2 cores
 */
public record PipelineOptions(int maxInFlight, int liveQueue, int blockingThreads) {
    /** Defaults for tests and tools. */
    public static PipelineOptions defaults() {
        return new PipelineOptions(4, 2, 2);
    }

    /** Reads the {@code pipeline} block. */
    public static PipelineOptions from(ConfigReader r) {
        PipelineOptions d = defaults();
        PipelineOptions o =
                new PipelineOptions(
                        r.integer("maxInFlight", d.maxInFlight(), 1, 1024),
                        r.integer("liveQueue", d.liveQueue(), 1, 1024),
                        r.integer("blockingThreads", d.blockingThreads(), 1, 64));
        r.rejectUnknownKeys();
        return o;
    }
}

package dev.fusionnode.pipeline;

import dev.fusionnode.config.ConfigReader;

/**
 * Readiness rules (the {@code health} block).
 *
 * @param sensorStallMs a sensor (camera or LiDAR id) that delivered before and then nothing for
 *     this long is stalled: the status says so and {@code /health/ready} answers 503 until it
 *     delivers again; 0 turns the rule off (replays that pause or end are not stalls)
 * @param blockedThreadWarnMs an event loop that runs one task for longer than this logs a Vert.x
 *     blocked-thread warning with the task's stack (the node's own work never blocks it; the tests
 *     run with 100 ms and fail on a warning)
 */
public record HealthOptions(long sensorStallMs, long blockedThreadWarnMs) {
    /** Reads the {@code health} block. */
    public static HealthOptions from(ConfigReader r) {
        HealthOptions o =
                new HealthOptions(
                        r.longValue("sensorStallMs", 0, 0, 3_600_000),
                        r.longValue("blockedThreadWarnMs", 2_000, 10, 600_000));
        r.rejectUnknownKeys();
        return o;
    }
}

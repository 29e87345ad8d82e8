package dev.fusionnode.config;

/**
 * Readiness rules (the {@code health} block).
 *
 * @param sensorStallMs a sensor (camera or LiDAR id) that delivered before and then nothing for
 *     this long is stalled: the status says so and {@code /health/ready} answers 503 until it
 *     delivers again; 0 turns the rule off (replays that pause or end are not stalls)
 */
public record HealthOptions(long sensorStallMs) {
    /** Reads the {@code health} block. */
    public static HealthOptions from(ConfigReader r) {
        HealthOptions o = new HealthOptions(r.longValue("sensorStallMs", 0, 0, 3_600_000));
        r.rejectUnknownKeys();
        return o;
    }
}

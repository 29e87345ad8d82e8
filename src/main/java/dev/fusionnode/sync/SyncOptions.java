package dev.fusionnode.sync;

import dev.fusionnode.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Camera-LiDAR time synchronisation settings (nearest scan within a tolerance, as Autoware's fusion
 * does).
 *
 * @param toleranceNs largest accepted |LiDAR time - camera time| after offsets
 * @param timeoutNs how long a camera frame waits for a later scan before it is resolved with what
 *     is there
 * @param unpaired what happens to a camera frame without a scan in tolerance
 * @param offsetsNs per-sensor time offsets added to that sensor's stamps (shutter or clock offsets)
 * @param maxBufferedScans scans kept per LiDAR for pairing
 */
public record SyncOptions(
        long toleranceNs,
        long timeoutNs,
        UnpairedPolicy unpaired,
        Map<String, Long> offsetsNs,
        int maxBufferedScans) {

    /** Default tolerance, 50 ms. */
    public static final long DEFAULT_TOLERANCE_MS = 50;

    /** Default wait for a later scan, 100 ms. */
    public static final long DEFAULT_TIMEOUT_MS = 100;

    /** What to do with a camera frame that has no LiDAR scan within the tolerance. */
    public enum UnpairedPolicy {
        /** Process it without LiDAR. */
        CAMERA_ONLY,
        /** Drop it (counted). */
        DROP;

        static UnpairedPolicy parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "camera-only", "camera_only" -> CAMERA_ONLY;
                case "drop" -> DROP;
                default ->
                        throw new IllegalArgumentException(
                                "'" + s + "' is not one of camera-only, drop");
            };
        }
    }

    /** Copies the offsets. */
    public SyncOptions {
        offsetsNs = Map.copyOf(offsetsNs);
    }

    /** Defaults for tests and tools. */
    public static SyncOptions defaults() {
        return new SyncOptions(
                DEFAULT_TOLERANCE_MS * 1_000_000,
                DEFAULT_TIMEOUT_MS * 1_000_000,
                UnpairedPolicy.CAMERA_ONLY,
                Map.of(),
                32);
    }

    /** The offset of {@code sensorId} in nanoseconds (0 when none is configured). */
    public long offsetNs(String sensorId) {
        return offsetsNs.getOrDefault(sensorId, 0L);
    }

    /** Reads the {@code sync} block. */
    public static SyncOptions from(ConfigReader r) {
        long tol = r.longValue("toleranceMs", DEFAULT_TOLERANCE_MS, 0, 10_000);
        long timeout = r.longValue("timeoutMs", DEFAULT_TIMEOUT_MS, 0, 60_000);
        UnpairedPolicy policy =
                r.parsed("unpaired", UnpairedPolicy.CAMERA_ONLY, UnpairedPolicy::parse);
        Map<String, Long> offsets = new LinkedHashMap<>();
        r.numberMap("offsetsMs").forEach((k, v) -> offsets.put(k, Math.round(v * 1_000_000)));
        int maxScans = r.integer("maxBufferedScans", 32, 1, 10_000);
        r.rejectUnknownKeys();
        return new SyncOptions(tol * 1_000_000, timeout * 1_000_000, policy, offsets, maxScans);
    }
}

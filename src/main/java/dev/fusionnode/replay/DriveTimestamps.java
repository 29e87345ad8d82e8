package dev.fusionnode.replay;

import dev.fusionnode.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Per-frame capture times of a drive, read from a dataset's {@value #FILE_NAME} and resolved for
 * the drive's split lines:
 *
 * <pre>{@code
 * {"cameraId": "front", "lidarId": "top", "frameRateHz": 10.0,
 *  "frames": {"frame_000000": {"camera": 1700000000000000000, "lidar": 1699999999988000000}, ...}}
 * }</pre>
 *
 * A key of {@code frames} is a frame name: the camera file's name without extension ({@code
 * camera/frame_000001.png} is {@code frame_000001}). Times are non-negative integer nanoseconds;
 * spacing may be irregular. {@code cameraId}, {@code lidarId} and {@code frameRateHz} are
 * informational and optional; other keys are ignored. Frames the split does not name are ignored.
 *
 * <p>Looping shifts pass {@code p} by {@code p * (latest - earliest camera time + period)}, where
 * the period is the median camera spacing ({@code 1e9 / frameRateHz} for a single frame), so times
 * keep increasing across wraps.
 */
public final class DriveTimestamps {
    /** File name looked for at a dataset root. */
    public static final String FILE_NAME = "timestamps.json";

    /** One frame of the file: its name and capture times. */
    public record Entry(String name, long cameraNs, long lidarNs) {}

    /**
     * The file's text for {@code frames}, in their order, one frame per line (so that diffs and
     * {@code grep} stay readable); {@code frameRateHz} is left out when NaN.
     */
    public static String format(
            String cameraId, String lidarId, double frameRateHz, List<Entry> frames) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"cameraId\": \"")
                .append(cameraId)
                .append("\",\n  \"lidarId\": \"")
                .append(lidarId)
                .append("\",\n");
        if (!Double.isNaN(frameRateHz)) {
            sb.append("  \"frameRateHz\": ").append(frameRateHz).append(",\n");
        }
        sb.append("  \"frames\": {\n");
        for (int i = 0; i < frames.size(); i++) {
            Entry f = frames.get(i);
            sb.append("    \"")
                    .append(f.name())
                    .append("\": {\"camera\": ")
                    .append(f.cameraNs())
                    .append(", \"lidar\": ")
                    .append(f.lidarNs())
                    .append('}')
                    .append(i + 1 < frames.size() ? ",\n" : "\n");
        }
        return sb.append("  }\n}\n").toString();
    }

    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    private final Path file;
    private final Optional<String> cameraId;
    private final Optional<String> lidarId;
    private final OptionalDouble frameRateHz;
    private final long[] cameraNs;
    private final long[] lidarNs;
    private final long periodNs;
    private final long loopSpanNs;

    private DriveTimestamps(
            Path file,
            Optional<String> cameraId,
            Optional<String> lidarId,
            OptionalDouble frameRateHz,
            long[] cameraNs,
            long[] lidarNs,
            double fallbackHz) {
        this.file = file;
        this.cameraId = cameraId;
        this.lidarId = lidarId;
        this.frameRateHz = frameRateHz;
        this.cameraNs = cameraNs;
        this.lidarNs = lidarNs;
        long[] sorted = cameraNs.clone();
        Arrays.sort(sorted);
        long median = medianSpacing(sorted);
        this.periodNs = median > 0 ? median : Math.round(1e9 / frameRateHz.orElse(fallbackHz));
        this.loopSpanNs = sorted[sorted.length - 1] - sorted[0] + periodNs;
    }

    /**
     * Reads {@code file} and looks up the capture times of {@code lines} (split lines, in order).
     *
     * @param splitSource where the lines came from, for error messages
     * @param fallbackHz frame rate for the loop period of a one-frame drive whose file gives none
     * @throws ConfigException naming the file, the key and the problem: unreadable or invalid JSON,
     *     a time that is not a non-negative integer, a split frame without an entry
     */
    public static DriveTimestamps read(
            Path file, List<String> lines, String splitSource, double fallbackHz) {
        String source = file.toString();
        JsonObject json = ReplayPlaylist.readJson(file);
        Optional<String> cameraId = optionalString(json, "cameraId", source);
        Optional<String> lidarId = optionalString(json, "lidarId", source);
        OptionalDouble hz = OptionalDouble.empty();
        Object rate = json.getValue("frameRateHz");
        if (rate != null) {
            if (!(rate instanceof Number n)
                    || !Double.isFinite(n.doubleValue())
                    || n.doubleValue() <= 0) {
                throw new ConfigException(
                        source, "frameRateHz", "expected a positive number, found " + rate);
            }
            hz = OptionalDouble.of(n.doubleValue());
        }
        if (!(json.getValue("frames") instanceof JsonObject frames)) {
            throw new ConfigException(
                    source,
                    "frames",
                    "expected an object of frame name to {\"camera\": ns, \"lidar\": ns}, found "
                            + json.getValue("frames"));
        }
        long[] camera = new long[lines.size()];
        long[] lidar = new long[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String name = frameName(lines.get(i));
            Object entry = frames.getValue(name);
            if (entry == null) {
                throw new ConfigException(
                        source,
                        "frames",
                        "no entry for frame '"
                                + name
                                + "' (line "
                                + (i + 1)
                                + " '"
                                + lines.get(i)
                                + "' of "
                                + splitSource
                                + "); every frame of the split needs one");
            }
            if (!(entry instanceof JsonObject times)) {
                throw new ConfigException(
                        source,
                        "frames." + name,
                        "expected {\"camera\": ns, \"lidar\": ns}, found " + entry);
            }
            camera[i] = nanos(times, "camera", source, name);
            lidar[i] = nanos(times, "lidar", source, name);
        }
        return new DriveTimestamps(file, cameraId, lidarId, hz, camera, lidar, fallbackHz);
    }

    /**
     * The frame name of a split line: the file name without extension ({@code
     * labeled/day_fair/camera/sq01_000003.png} is {@code sq01_000003}).
     */
    public static String frameName(String line) {
        String rel = line.strip();
        String file = rel.substring(rel.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }

    /** The file the times came from. */
    public Path file() {
        return file;
    }

    /** The camera id the file names, if any (informational). */
    public Optional<String> cameraId() {
        return cameraId;
    }

    /** The LiDAR id the file names, if any (informational). */
    public Optional<String> lidarId() {
        return lidarId;
    }

    /** The frame rate the file names, if any (informational). */
    public OptionalDouble frameRateHz() {
        return frameRateHz;
    }

    /** Number of frames (split lines) with times. */
    public int frames() {
        return cameraNs.length;
    }

    /** Median camera spacing; {@code 1e9 / frameRateHz} for a single frame. */
    public long periodNs() {
        return periodNs;
    }

    /** How far each loop pass shifts the times: camera time range plus one period. */
    public long loopSpanNs() {
        return loopSpanNs;
    }

    /** Camera capture time of split line {@code index} in loop pass {@code pass}. */
    public long cameraTimeNs(int index, int pass) {
        return cameraNs[index] + pass * loopSpanNs;
    }

    /** LiDAR capture time of split line {@code index} in loop pass {@code pass}. */
    public long lidarTimeNs(int index, int pass) {
        return lidarNs[index] + pass * loopSpanNs;
    }

    private static long medianSpacing(long[] sorted) {
        int n = sorted.length - 1;
        if (n < 1) {
            return 0;
        }
        long[] gaps = new long[n];
        for (int i = 0; i < n; i++) {
            gaps[i] = sorted[i + 1] - sorted[i];
        }
        Arrays.sort(gaps);
        long lo = gaps[(n - 1) / 2];
        long hi = gaps[n / 2];
        return lo + (hi - lo) / 2;
    }

    private static long nanos(JsonObject times, String key, String source, String name) {
        Object v = times.getValue(key);
        String problem;
        if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
            BigInteger b =
                    v instanceof BigInteger big
                            ? big
                            : BigInteger.valueOf(((Number) v).longValue());
            if (b.signum() >= 0 && b.compareTo(MAX_LONG) <= 0) {
                return b.longValueExact();
            }
            problem = "must be between 0 and " + Long.MAX_VALUE + " ns, found " + v;
        } else if (v == null) {
            problem = "missing (integer nanoseconds)";
        } else {
            problem =
                    "expected integer nanoseconds, found "
                            + (v instanceof String s ? "\"" + s + "\"" : v);
        }
        throw new ConfigException(source, "frames." + name + "." + key, problem);
    }

    private static Optional<String> optionalString(JsonObject json, String key, String source) {
        Object v = json.getValue(key);
        if (v != null && !(v instanceof String)) {
            throw new ConfigException(source, key, "expected a string, found " + v);
        }
        return Optional.ofNullable((String) v);
    }
}

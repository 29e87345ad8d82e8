package dev.fusionnode.record;

import dev.fusionnode.config.ConfigReader;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Recording what the node ingests as an MCAP drive (the {@code record} block; off unless {@code
 * enabled}, or the {@code record} command).
 *
 * @param enabled record
 * @param dir folder of the drives ({@code <dir>/<drive>/drive.mcap})
 * @param drive drive name; empty for {@code <vehicle>-<UTC date and time>}
 * @param masks also record the masks and confidence maps (PNG) the node publishes
 * @param compression {@code zstd} or {@code none}
 * @param chunkBytes uncompressed bytes per MCAP chunk
 * @param flushIntervalMs the chunk in progress is written and synced at least this often (what a
 *     crash can lose)
 * @param queueMessages messages waiting for the writer before new ones are dropped (counted)
 * @param minFreeBytes the recording stops, its file complete, when its disk has less free space (0:
 *     never)
 * @param format {@code json} (the node's own MCAP: JSON messages) or {@code ros2} (a ROS 2 bag: CDR
 *     messages, {@code ros2msg} schemas, and a {@code metadata.yaml}, for {@code ros2 bag play})
 * @param cameraFormat how a ROS 2 recording stores camera images: {@code png} (lossless) or {@code
 *     jpeg} (quality 90)
 */
public record RecordOptions(
        boolean enabled,
        Path dir,
        Optional<String> drive,
        boolean masks,
        String compression,
        int chunkBytes,
        long flushIntervalMs,
        int queueMessages,
        long minFreeBytes,
        String format,
        String cameraFormat) {

    /** Reads the {@code record} block. */
    public static RecordOptions from(ConfigReader r) {
        String compression = r.string("compression", "zstd");
        if (!compression.equals("zstd") && !compression.equals("none")) {
            throw r.invalid("compression", "must be 'zstd' or 'none', found '" + compression + "'");
        }
        String format = r.string("format", "json");
        if (!format.equals("json") && !format.equals("ros2")) {
            throw r.invalid("format", "must be 'json' or 'ros2', found '" + format + "'");
        }
        String cameraFormat = r.string("cameraFormat", "png");
        if (!cameraFormat.equals("png") && !cameraFormat.equals("jpeg")) {
            throw r.invalid(
                    "cameraFormat", "must be 'png' or 'jpeg', found '" + cameraFormat + "'");
        }
        String drive = r.string("drive", null);
        if (drive != null && !drive.matches("[A-Za-z0-9_.-]+")) {
            throw r.invalid("drive", "must contain only letters, digits, '_', '-' and '.'");
        }
        RecordOptions o =
                new RecordOptions(
                        r.bool("enabled", false),
                        Path.of(r.string("dir", "recordings")),
                        Optional.ofNullable(drive),
                        r.bool("masks", false),
                        compression,
                        r.integer("chunkBytes", 4 << 20, 64 << 10, 256 << 20),
                        r.longValue("flushIntervalMs", 1000, 10, 600_000),
                        r.integer("queueMessages", 256, 1, 1 << 20),
                        r.longValue("minFreeBytes", 1L << 30, 0, Long.MAX_VALUE),
                        format,
                        cameraFormat);
        r.rejectUnknownKeys();
        return o;
    }

    /**
     * A copy that records (the {@code record} command), under {@code name} when given, in {@code
     * format} when given.
     */
    public RecordOptions on(Optional<String> name, boolean withMasks, Optional<String> format) {
        return new RecordOptions(
                true,
                dir,
                name.isPresent() ? name : drive,
                masks || withMasks,
                compression,
                chunkBytes,
                flushIntervalMs,
                queueMessages,
                minFreeBytes,
                format.orElse(this.format),
                cameraFormat);
    }

    /** Whether recordings are ROS 2 bags. */
    public boolean ros2() {
        return format.equals("ros2");
    }
}

package dev.fusionnode.replay;

import dev.fusionnode.calib.Rig;
import dev.fusionnode.config.ConfigException;
import dev.fusionnode.config.ConfigReader;
import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.io.RigFiles;
import dev.fusionnode.io.SplitFile;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.replay.ReplayOptions.ReplayRate;
import dev.fusionnode.ros.Bag;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A replay playlist ({@code replay/*.json}): which drive to play and how. Either a recorded drive
 * folder ({@code "recording": "recordings/<drive>"}, described by its {@code drive.json}) or a
 * dataset split:
 *
 * <pre>{@code
 * {"name": "kitti-sample",
 *  "dataset": {"root": "data/kitti", "layout": "kitti", "split": "all.txt", "frameRateHz": 10,
 *              "cameraId": "front", "lidarId": "top", "lidarOffsetMs": 0, "calibration": null,
 *              "lines": ["image_2/000000.png", ...] (instead of "split"),
 *              "annotationPath": null, "timestamps": "timestamps.json"},
 *  "rate": 1.0 | "max", "loop": true}
 * }</pre>
 *
 * Relative paths resolve against the working directory; paths inside a {@code drive.json} against
 * its folder; {@code calibration} and {@code timestamps} against the drive's {@code root}.
 *
 * <p>Frames are stamped with their capture times from {@code timestamps} (a {@link DriveTimestamps}
 * file, which must have an entry for every frame of the split); without the key, a {@value
 * DriveTimestamps#FILE_NAME} at the root is used when there is one. Without timestamps, frame
 * <i>i</i> is stamped {@code startTimeNs + i / frameRateHz} and its scan {@code lidarOffsetMs}
 * later (loops continue the clock).
 *
 * @param drive the frames and timing
 * @param rate default playback rate
 * @param loop default looping
 */
public record ReplayPlaylist(DriveSource drive, ReplayRate rate, boolean loop) {
    /** The dataset drive (for playlists of a split or a dataset recording). */
    public ReplayDrive dataset() {
        if (drive instanceof ReplayDrive d) {
            return d;
        }
        throw new IllegalStateException(
                "drive '" + drive.name() + "' is a " + drive.kind() + " recording");
    }

    /** File name of a recording folder's manifest. */
    public static final String DRIVE_MANIFEST = "drive.json";

    /**
     * Loads a playlist and the drive it names.
     *
     * @throws ConfigException for invalid playlist or manifest values, naming file and key
     */
    public static ReplayPlaylist load(Path file) {
        ConfigReader r = new ConfigReader(readJson(file), file.toString(), Map.of());
        String name = r.string("name", file.getFileName().toString().replaceFirst("\\.json$", ""));
        ReplayRate rate = r.parsed("rate", ReplayRate.REAL_TIME, ReplayRate::parse);
        boolean loop = r.bool("loop", false);
        String recording = r.string("recording", null);
        String bag = r.string("bag", null);
        DriveSource drive;
        if (bag != null) {
            Map<String, String> topics = r.stringMap("topics");
            try {
                drive = Ros2BagDrive.open(Path.of(bag), name, topics);
            } catch (BadInputException e) {
                throw r.invalid("bag", e.getMessage());
            }
        } else if (recording != null) {
            Path folder = Path.of(recording);
            Path manifest = folder.resolve(DRIVE_MANIFEST);
            Path mcap = recording.endsWith(".mcap") ? folder : folder.resolve(McapDrive.FILE_NAME);
            if (!Files.isRegularFile(manifest) && Files.isRegularFile(mcap)) {
                DriveSource recorded;
                try {
                    // a recording made with record.format ros2 is a ROS 2 bag
                    recorded =
                            Bag.isBag(mcap)
                                    ? Ros2BagDrive.open(mcap, name, r.stringMap("topics"))
                                    : McapDrive.open(mcap, name);
                } catch (BadInputException e) {
                    throw r.invalid("recording", e.getMessage());
                }
                r.rejectUnknownKeys();
                return new ReplayPlaylist(recorded, rate, loop);
            }
            if (!Files.isRegularFile(manifest)) {
                throw r.invalid(
                        "recording",
                        "no "
                                + DRIVE_MANIFEST
                                + " (dataset drive) or "
                                + McapDrive.FILE_NAME
                                + " (recorded drive) in recording folder "
                                + folder);
            }
            ConfigReader m = new ConfigReader(readJson(manifest), manifest.toString(), Map.of());
            drive =
                    RigDataset.LAYOUT.equals(m.string("layout", null))
                            ? readRigDataset(m, folder, m.string("name", name))
                            : readDrive(m, folder, m.string("name", name));
            m.rejectUnknownKeys();
        } else if (r.has("dataset")) {
            ConfigReader d = r.child("dataset");
            drive = readDrive(d, Path.of(""), name);
            d.rejectUnknownKeys();
        } else {
            throw r.invalid(
                    "recording",
                    "a playlist needs 'recording' (a drive folder), 'bag' (a ROS 2 bag: its folder, .mcap"
                            + " or .db3) or"
                            + " 'dataset' (a split)");
        }
        r.rejectUnknownKeys();
        return new ReplayPlaylist(drive, rate, loop);
    }

    /** A rig dataset's {@code drive.json}: {@code rig}, {@code lidar}, {@code split}, times. */
    private static RigDataset readRigDataset(ConfigReader d, Path base, String name) {
        Path rigFile = resolve(base, d.string("rig", "rig.json"));
        Rig rig;
        try {
            rig = RigFiles.read(rigFile);
        } catch (BadInputException e) {
            throw d.invalid("rig", e.getMessage());
        }
        String lidar = d.string("lidar", rig.lidars().isEmpty() ? "top" : rig.lidars().get(0).id());
        Path split = base.resolve(d.string("split", "all.txt"));
        if (!Files.isRegularFile(split)) {
            throw d.invalid("split", "split file not found: " + split);
        }
        List<String> lines = SplitFile.read(split);
        if (lines.isEmpty()) {
            throw d.invalid("split", "split file " + split + " has no frames");
        }
        double hz = d.number("frameRateHz", 10, 0.001, 10_000);
        Path tsFile = base.resolve(DriveTimestamps.FILE_NAME);
        if (!Files.isRegularFile(tsFile)) {
            throw d.invalid("layout", "a rig dataset needs " + tsFile);
        }
        DriveTimestamps times = DriveTimestamps.read(tsFile, lines, split.toString(), hz);
        return new RigDataset(
                name,
                base,
                rig,
                lidar,
                lines.stream().map(DriveTimestamps::frameName).toList(),
                times);
    }

    private static ReplayDrive readDrive(ConfigReader d, Path base, String name) {
        if (d.has("root")) {
            base = resolve(base, d.string("root", "."));
        }
        String layoutId = d.string("layout", null);
        Path split;
        List<String> lines;
        if (d.has("lines")) {
            split = base;
            lines = d.array("lines").stream().map(String::valueOf).toList();
        } else {
            split = base.resolve(d.string("split", "all.txt"));
            if (!Files.isRegularFile(split)) {
                throw d.invalid("split", "split file not found: " + split);
            }
            lines = SplitFile.read(split);
        }
        if (lines.isEmpty()) {
            throw d.invalid("split", "split file " + split + " has no frames");
        }
        DatasetLayout layout =
                layoutId == null
                        ? DatasetLayout.guess(lines.get(0))
                        : d.parsed("layout", null, DatasetLayout::fromId);
        double hz = d.number("frameRateHz", 10, 0.001, 10_000);
        long start = d.longValue("startTimeNs", 1_700_000_000_000_000_000L, 0, Long.MAX_VALUE);
        String cameraId = d.string("cameraId", "front");
        String lidarId = d.string("lidarId", "top");
        long offsetNs = Math.round(d.number("lidarOffsetMs", 0, -10_000, 10_000) * 1_000_000);
        String calib = d.string("calibration", null);
        Path baseDir = base;
        Optional<Path> calibration = Optional.ofNullable(calib).map(c -> resolve(baseDir, c));
        Optional<String> annotation = Optional.ofNullable(d.string("annotationPath", null));
        String tsKey = d.string("timestamps", null);
        Path tsFile =
                tsKey == null ? base.resolve(DriveTimestamps.FILE_NAME) : resolve(base, tsKey);
        if (tsKey != null && !Files.isRegularFile(tsFile)) {
            throw d.invalid("timestamps", "timestamps file not found: " + tsFile);
        }
        Optional<DriveTimestamps> timestamps =
                Files.isRegularFile(tsFile)
                        ? Optional.of(DriveTimestamps.read(tsFile, lines, split.toString(), hz))
                        : Optional.empty();
        return new ReplayDrive(
                name,
                base,
                layout,
                lines,
                split.toString(),
                hz,
                start,
                cameraId,
                lidarId,
                offsetNs,
                calibration,
                annotation,
                timestamps);
    }

    private static Path resolve(Path base, String p) {
        Path path = Path.of(p);
        return path.isAbsolute() ? path : base.resolve(path).normalize();
    }

    /** Reads a JSON object file; unreadable or invalid files are a ConfigException. */
    static JsonObject readJson(Path file) {
        try {
            return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "(file)", "cannot read: " + e);
        } catch (DecodeException e) {
            throw new ConfigException(
                    file.toString(), "(file)", "not valid JSON: " + e.getMessage());
        }
    }
}

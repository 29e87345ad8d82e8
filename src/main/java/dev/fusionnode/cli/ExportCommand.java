package dev.fusionnode.cli;

import dev.fusionnode.export.DriveExport;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.replay.McapDrive;
import dev.fusionnode.replay.Ros2BagDrive;
import dev.fusionnode.ros.Bag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fusion-node export}: a recorded MCAP drive to the ZOD dataset layout. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Turn a recorded drive or a ROS 2 bag into a dataset in the ZOD layout, ready to"
                    + " annotate.",
            "It reads recordings/<drive>/drive.mcap (or a ROS 2 bag's .mcap, which calibrates"
                    + " itself from its CameraInfo and /tf_static) and writes camera/, lidar/"
                    + " pickles, lidar_png/, an empty annotation_camera_only/, all.txt,"
                    + " calibration.json, timestamps.json and drive.json."
        })
final class ExportCommand implements Callable<Integer> {
    @Option(
            names = "--drive",
            required = true,
            description =
                    "Drive name under --recordings, a drive folder or .mcap file, or a ROS 2 bag"
                            + " (its folder, .mcap or .db3).")
    String drive;

    @Option(
            names = "--recordings",
            defaultValue = "recordings",
            description = "Folder of recorded drives (default: ${DEFAULT-VALUE}).")
    Path recordings;

    @Option(names = "--out", required = true, description = "Dataset folder to create.")
    Path out;

    @Option(
            names = "--topic",
            description = {
                "For a ROS 2 bag: a topic and the sensor id it plays as (TOPIC=ID, repeated); by",
                "default the bag's one image topic is front and its one point cloud top."
            })
    Map<String, String> topics = new LinkedHashMap<>();

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        Path given = Path.of(drive);
        Path file =
                drive.endsWith(".mcap") || drive.endsWith(".db3")
                        ? given
                        : Files.isDirectory(given)
                                ? (Files.isRegularFile(given.resolve(McapDrive.FILE_NAME))
                                        ? given.resolve(McapDrive.FILE_NAME)
                                        : given) // a ROS 2 bag folder
                                : recordings.resolve(drive).resolve(McapDrive.FILE_NAME);
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    System.err.println(out + " is not empty");
                    return 2;
                }
            }
        }
        try {
            Path named = Files.isDirectory(file) ? file : file.toAbsolutePath().getParent();
            String name = named.getFileName().toString();
            DriveExport.Result r;
            r =
                    Bag.isBag(file)
                            ? DriveExport.export(Ros2BagDrive.open(file, name, topics), out)
                            : DriveExport.export(McapDrive.open(file, name), out);
            System.out.printf(
                    "exported %s: %d frames (%d with LiDAR) -> %s%s%n",
                    file,
                    r.frames(),
                    r.withLidar(),
                    out,
                    r.damage()
                            .map(x -> " (recording damaged: " + x + "; exported up to it)")
                            .orElse(""));
            return 0;
        } catch (BadInputException e) {
            System.err.println("cannot export: " + e.getMessage());
            return 2;
        }
    }
}

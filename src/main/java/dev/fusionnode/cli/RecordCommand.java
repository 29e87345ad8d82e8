package dev.fusionnode.cli;

import dev.fusionnode.node.NodeOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node record}: runs the node as {@code run} does and records what it ingests to
 * {@code <record.dir>/<drive>/drive.mcap}.
 */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        description = {
            "Run the node and record what it ingests as an MCAP drive.",
            "Camera frames, LiDAR scans and calibration (and the masks with --masks) go to"
                    + " <record.dir>/<drive>/drive.mcap (record.dir is recordings/ by default);"
                    + " with --format ros2 the folder is also a ROS 2 bag.",
            "Replay it with a playlist {\\\"recording\\\": \\\"recordings/<drive>\\\"}."
        })
final class RecordCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            defaultValue = "config/node.json",
            description = "Config file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(
            names = "--drive",
            description =
                    "Drive name (default: the config's record.drive, else <vehicle>-<UTC time>).")
    String drive;

    @Option(names = "--masks", description = "Also record the masks the node publishes.")
    boolean masks;

    @Option(
            names = "--format",
            description = {
                "The recording's format: json (the node's own MCAP) or ros2 (a ROS 2 bag: CDR",
                "messages and a metadata.yaml, for ros2 bag play and Foxglove); default: the",
                "config's record.format, json unless set."
            })
    String format;

    @Option(
            names = "--duration",
            description = "Stop after this many seconds (default: run until SIGTERM / Ctrl-C).")
    Double durationS;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        NodeOptions options = RunCommand.load(config);
        if (options == null) {
            return 2;
        }
        if (drive != null && !drive.matches("[A-Za-z0-9_.-]+")) {
            System.err.println("--drive must contain only letters, digits, '_', '-' and '.'");
            return 2;
        }
        if (format != null && !format.equals("json") && !format.equals("ros2")) {
            System.err.println("--format must be json or ros2, found '" + format + "'");
            return 2;
        }
        return RunCommand.runNode(
                options.withRecord(
                        options.record()
                                .on(
                                        Optional.ofNullable(drive),
                                        masks,
                                        Optional.ofNullable(format))),
                durationS);
    }
}

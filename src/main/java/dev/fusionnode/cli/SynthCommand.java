package dev.fusionnode.cli;

import dev.fusionnode.io.RigFiles;
import dev.fusionnode.synth.Condition;
import dev.fusionnode.synth.DriveGenerator;
import dev.fusionnode.synth.RigDriveGenerator;
import dev.fusionnode.synth.SynthOptions;
import dev.fusionnode.synth.SynthProfile;
import dev.fusionnode.synth.SynthReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node synth}: generates a synthetic annotated camera + LiDAR drive in a real dataset
 * layout.
 */
@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = {
            "Generate a synthetic annotated camera + LiDAR drive in the ZOD or Iseauto layout.",
            "It writes camera images, annotations, LiDAR pickles, lidar_png, split files,"
                    + " calibration.json and timestamps.json.",
            "The same arguments give byte-identical files."
        })
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Dataset folder to create.")
    Path out;

    @Option(
            names = "--frames",
            defaultValue = "100",
            description = "Frames (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--profile",
            defaultValue = "zod",
            description =
                    "The dataset layout and sensors: zod or iseauto (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(
            names = "--conditions",
            defaultValue = "day_fair",
            split = ",",
            description =
                    "Comma-separated: day_fair, day_rain, night_fair, night_rain, snow; the frames are"
                            + " divided into one sequence per condition (default: ${DEFAULT-VALUE}).")
    List<String> conditions;

    @Option(
            names = "--width",
            defaultValue = "1363",
            description = "Image width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(
            names = "--height",
            defaultValue = "768",
            description = "Image height (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--beams", description = "LiDAR beams, 32 or 64 (default: zod 64, iseauto 32).")
    Integer beams;

    @Option(
            names = "--azimuth-step",
            defaultValue = "0.2",
            description = "LiDAR horizontal resolution in degrees (default: ${DEFAULT-VALUE}).")
    double azimuthStep;

    @Option(
            names = "--camera-noise",
            defaultValue = "1",
            description =
                    "Scale of the camera sensor noise, 1 as modelled, 0 none (default: ${DEFAULT-VALUE}).")
    double cameraNoise;

    @Option(
            names = "--rate",
            defaultValue = "10",
            description = "Frame rate, Hz (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--start-time-ns",
            defaultValue = "1700000000000000000",
            description = "Capture time of the first frame (default: ${DEFAULT-VALUE}).")
    long startTimeNs;

    @Option(
            names = "--png-compression",
            defaultValue = "-1",
            description = {
                "The zlib level 0-9 of the PNGs written; 9 makes files about a third smaller",
                "at several times the cost (default: -1, OpenCV's fast encoding)."
            })
    int pngCompression;

    @Option(names = "--threads", description = "Frames made in parallel (default: the cores).")
    Integer threads;

    @Option(
            names = "--unknown-objects",
            description =
                    "Put objects of no known class on the road ahead (a moose, spilled cargo),"
                            + " annotated as background: an out-of-distribution test drive.")
    boolean unknownObjects;

    @Option(names = "--force", description = "Write into a folder that is not empty.")
    boolean force;

    @Option(
            names = "--rig",
            description = {
                "A rig file (rig.json): every camera of the rig renders the drive and its first",
                "LiDAR sweeps it all the way round; written as a recorded drive (drive.mcap, for",
                "replay) and one dataset folder per camera. --width/--height are each camera's."
            })
    Path rig;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        SynthOptions options;
        try {
            SynthProfile p = SynthProfile.fromId(profile);
            options =
                    new SynthOptions(
                            out,
                            frames,
                            seed,
                            p,
                            conditions.stream().map(Condition::fromId).toList(),
                            width,
                            height,
                            beams == null ? p.defaultBeams() : beams,
                            azimuthStep,
                            cameraNoise,
                            rate,
                            startTimeNs,
                            pngCompression,
                            threads == null ? Runtime.getRuntime().availableProcessors() : threads,
                            unknownObjects);
        } catch (IllegalArgumentException e) {
            System.err.println("synth: " + e.getMessage());
            return 2;
        }
        if (!force && notEmpty(out)) {
            System.err.println("synth: " + out + " is not empty; use --force to write into it");
            return 2;
        }
        if (rig != null) {
            return rigDrive(options);
        }
        SynthReport report;
        if (System.console() != null) {
            try (ProgressBar bar =
                    new ProgressBarBuilder()
                            .setTaskName("synth")
                            .setInitialMax(frames)
                            .setStyle(ProgressBarStyle.ASCII)
                            .setUnit(" frames", 1)
                            .build()) {
                report = new DriveGenerator(options).generate(bar::stepTo);
            }
        } else {
            report = new DriveGenerator(options).generate(n -> {});
        }
        System.out.println("wrote " + out + ": " + report.describe(options.profile()));
        return 0;
    }

    private int rigDrive(SynthOptions options) {
        try {
            RigDriveGenerator.Result r =
                    new RigDriveGenerator(options, RigFiles.read(rig)).generate(n -> {});
            System.out.println("wrote " + out + ": " + r.describe());
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("synth: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean notEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Files.exists(dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.fusionnode.bench;

import dev.fusionnode.config.ConfigReader;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.record.RecordOptions;
import dev.fusionnode.record.RecordingWriter;
import dev.fusionnode.replay.DriveSource;
import dev.fusionnode.replay.FrameSource;
import dev.fusionnode.replay.LoadedFrame;
import dev.fusionnode.replay.ReplayPlaylist;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node benchmark record}: writes the same frames of a drive (camera images, scans,
 * calibration) as a recording in each format, as the recorder does on its writer thread (encoding
 * included), and prints the file size and the write time per frame.
 */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        description =
                "Write the same frames as a recording in each format and print size and write time"
                        + " per frame.")
final class RecordBenchmark implements Callable<Integer> {
    @Option(
            names = "--playlist",
            defaultValue = "replay/sample-drive.json",
            description = "The drive to take the frames from (default: ${DEFAULT-VALUE}).")
    Path playlist;

    @Option(
            names = "--frames",
            defaultValue = "100",
            description = "Camera frames per recording (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--formats",
            split = ",",
            defaultValue = "json,ros2,ros2-jpeg",
            description =
                    "Formats to write: json, ros2 (PNG images), ros2-jpeg (default:"
                            + " ${DEFAULT-VALUE}).")
    List<String> formats;

    @Option(
            names = "--repeat",
            defaultValue = "5",
            description =
                    "Recordings written per format, alternating formats (default: ${DEFAULT-VALUE}).")
    int repeat;

    /** What one recording holds, in the order it was recorded. */
    private record Item(CameraFrame camera, LidarScan scan, CalibrationUpdate calibration) {}

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        List<Item> items = read();
        long cameras = items.stream().filter(i -> i.camera() != null).count();
        long scans = items.stream().filter(i -> i.scan() != null).count();
        System.out.printf(
                Locale.ROOT,
                "%d camera frames and %d scans of %s, each written %d times per format%n",
                cameras,
                scans,
                playlist,
                repeat);
        Path dir = Files.createTempDirectory("fusion-record-bench");
        double[][] ms = new double[formats.size()][repeat];
        long[] bytes = new long[formats.size()];
        for (int r = 0; r < repeat + 1; r++) {
            for (int f = 0; f < formats.size(); f++) {
                Path folder = dir.resolve(formats.get(f) + "-" + r);
                Files.createDirectories(folder);
                long t0 = System.nanoTime();
                try (RecordingWriter w =
                        RecordingWriter.create(
                                folder.resolve("drive.mcap"), options(formats.get(f)))) {
                    for (Item i : items) {
                        if (i.calibration() != null) {
                            w.calibration(i.calibration());
                        } else if (i.scan() != null) {
                            w.scan(i.scan());
                        } else {
                            w.camera(i.camera());
                        }
                    }
                }
                long t1 = System.nanoTime();
                if (r > 0) { // the first round warms up
                    ms[f][r - 1] = (t1 - t0) / 1e6 / cameras;
                    bytes[f] = size(folder);
                }
                deleteTree(folder);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%-10s %12s %14s %16s %14s%n",
                "format",
                "file MB",
                "bytes/frame",
                "write ms/frame",
                "vs json size");
        for (int f = 0; f < formats.size(); f++) {
            double[] sorted = ms[f].clone();
            Arrays.sort(sorted);
            System.out.printf(
                    Locale.ROOT,
                    "%-10s %12.2f %14d %16.2f %13.2fx%n",
                    formats.get(f),
                    bytes[f] / 1e6,
                    bytes[f] / cameras,
                    sorted[sorted.length / 2],
                    formats.contains("json")
                            ? (double) bytes[f] / bytes[formats.indexOf("json")]
                            : Double.NaN);
        }
        System.out.println("(write time: median over the rounds, PNG or JPEG encoding included)");
        deleteTree(dir);
        return 0;
    }

    private static RecordOptions options(String format) {
        JsonObject o =
                new JsonObject()
                        .put("format", format.startsWith("ros2") ? "ros2" : format)
                        .put("cameraFormat", format.endsWith("jpeg") ? "jpeg" : "png");
        return RecordOptions.from(new ConfigReader(o, "benchmark", Map.of()));
    }

    /** The drive's start calibrations, then each frame's scans and camera image, as replayed. */
    private List<Item> read() {
        List<Item> out = new ArrayList<>();
        DriveSource d = ReplayPlaylist.load(playlist).drive();
        FrameSource source = d.open(NodeMetrics.NOOP);
        source.startCalibrations().forEach(c -> out.add(new Item(null, null, c)));
        for (int i = 0; i < frames; i++) {
            LoadedFrame f = source.load(0, i % d.frames(), i / d.frames());
            f.calibration().ifPresent(c -> out.add(new Item(null, null, c)));
            f.scans().forEach(s -> out.add(new Item(null, s, null)));
            f.camera().ifPresent(c -> out.add(new Item(c, null, null)));
        }
        return out;
    }

    private static long size(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            long total = 0;
            for (Path p : s.toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package dev.fusionnode.cli;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.io.AnnotationStatistics;
import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.io.Files2;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.JsonCalibration;
import dev.fusionnode.io.KittiCalibration;
import dev.fusionnode.io.KittiScanReader;
import dev.fusionnode.io.LidarPickle;
import dev.fusionnode.io.PickleReader;
import dev.fusionnode.io.RigFiles;
import dev.fusionnode.io.SplitFile;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.PixelHints;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.ros.Bag;
import dev.fusionnode.velodyne.PacketFile;
import dev.fusionnode.velodyne.VelodyneDecoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fusion-node inspect}: says what a file is (calibration, scan, pickle, split, image) and
 * summarises it; for a dataset folder, prints the per-class pixel shares of its annotations per
 * split file.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Print what a file is: a calibration, scan, pickle, split file, image, packet file,"
                    + " recording, or ROS 2 bag (a bag folder, .db3 or .mcap: topics, types,"
                    + " rates, and what the node would play).",
            "For a dataset folder it prints the per-class pixel shares of its annotations, per split"
                    + " file."
        })
final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "Files or dataset folders to inspect.")
    List<Path> files;

    @Option(
            names = "--annotations",
            description =
                    "Annotation folder of a dataset (default: the layout's, e.g."
                            + " annotation_camera_only for ZOD).")
    String annotations;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        int failures = 0;
        for (Path f : files) {
            try {
                System.out.println(
                        f
                                + ": "
                                + (Bag.isBag(f)
                                        ? BagReport.of(f)
                                        : Files.isDirectory(f)
                                                ? dataset(f, annotations)
                                                : describe(f)));
            } catch (BadInputException | IllegalArgumentException | UncheckedIOException e) {
                System.out.println(f + ": error: " + e.getMessage());
                failures++;
            }
        }
        return failures == 0 ? 0 : 2;
    }

    /** Per-class pixel shares of a dataset's annotations, one row per split file. */
    static String dataset(Path root, String annotationPath) {
        List<Path> splits = AnnotationStatistics.splitFiles(root);
        if (splits.isEmpty()) {
            throw new IllegalArgumentException(
                    "no split files (*.txt listing camera images) in this folder; is it a dataset"
                            + " root?");
        }
        DatasetLayout layout = DatasetLayout.guess(SplitFile.read(splits.get(0)).get(0));
        if (layout.annotationClasses().isEmpty()) {
            throw new IllegalArgumentException(
                    "layout " + layout.id() + " has no class-id annotation images");
        }
        AnnotationStatistics stats = new AnnotationStatistics(root, layout, annotationPath);
        List<AnnotationStatistics.SplitCounts> rows = stats.countAll();
        int ids = layout.annotationClasses().size();
        boolean other =
                rows.stream()
                        .anyMatch(
                                r -> {
                                    for (int k = ids; k < r.pixels().length; k++) {
                                        if (r.pixels()[k] > 0) {
                                            return true;
                                        }
                                    }
                                    return false;
                                });
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        "dataset, layout %s, annotations '%s', per-class pixel shares (%%):%n",
                        layout.id(), stats.annotationPath()));
        sb.append(String.format("  %-22s %7s", "split", "frames"));
        for (String name : layout.annotationClasses()) {
            sb.append(String.format(" %11s", name));
        }
        sb.append(other ? String.format(" %11s", "other ids") : "");
        sb.append(String.format(" %8s%n", "missing"));
        for (var r : rows) {
            sb.append(String.format("  %-22s %7d", r.split(), r.frames()));
            long otherPixels = 0;
            for (int k = 0; k < r.pixels().length; k++) {
                if (k < ids) {
                    sb.append(String.format(Locale.ROOT, " %11.2f", r.percent(k)));
                } else {
                    otherPixels += r.pixels()[k];
                }
            }
            if (other) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                " %11.2f",
                                r.total() == 0 ? 0 : 100.0 * otherPixels / r.total()));
            }
            sb.append(String.format(" %8d%n", r.missing()));
        }
        return sb.toString().stripTrailing();
    }

    static String describe(Path f) {
        String ext = Files2.extension(f);
        return switch (ext) {
            case "bin" -> velodyneOrScan(f);
            case "pkl", "pickle" -> pickle(f);
            case "png", "jpg", "jpeg" -> image(f);
            case "json" -> json(f);
            case "txt" -> text(f);
            case "mcap" -> McapReport.of(f);
            case "db3" -> BagReport.of(f);
            default -> throw new IllegalArgumentException("unknown file type '." + ext + "'");
        };
    }

    private static String velodyneOrScan(Path f) {
        byte[] b;
        try {
            b = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int withHeaders = VelodyneDecoder.PAYLOAD + VelodyneDecoder.HEADERS;
        boolean packets =
                PacketFile.looksLike(b, VelodyneDecoder.PAYLOAD, 0)
                        || PacketFile.looksLike(b, withHeaders, VelodyneDecoder.HEADERS);
        return packets ? VelodyneSummary.of(PacketFile.of(b, f)).toString() : scan(f);
    }

    private static String scan(Path f) {
        PointCloud c = KittiScanReader.read(f);
        float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
        float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        int nonFinite = 0;
        for (int i = 0; i < c.size(); i++) {
            float[] p = {c.x(i), c.y(i), c.z(i)};
            if (!Float.isFinite(p[0]) || !Float.isFinite(p[1]) || !Float.isFinite(p[2])) {
                nonFinite++;
                continue;
            }
            for (int k = 0; k < 3; k++) {
                min[k] = Math.min(min[k], p[k]);
                max[k] = Math.max(max[k], p[k]);
            }
        }
        return String.format(
                Locale.ROOT,
                "KITTI LiDAR scan, %d points (float32 x y z intensity), %d non-finite; x [%.1f, %.1f] y [%.1f, %.1f] z [%.1f, %.1f] m",
                c.size(),
                nonFinite,
                min[0],
                max[0],
                min[1],
                max[1],
                min[2],
                max[2]);
    }

    private static String pickle(Path f) {
        Object root = PickleReader.load(f);
        StringBuilder sb = new StringBuilder("Python pickle");
        Map<String, String> keys = PickleReader.describe(root);
        keys.forEach((k, v) -> sb.append("\n  ").append(k).append(": ").append(v));
        if (root instanceof Map<?, ?> m && m.containsKey(LidarPickle.POINTS_KEY)) {
            LidarPickle p = LidarPickle.parse(root, f.toString(), 0, 0);
            PixelHints h = p.hints();
            Map<Integer, Integer> cams = new TreeMap<>();
            int umax = 0;
            int vmax = 0;
            for (int i = 0; i < h.size(); i++) {
                cams.merge(h.cameraId(i), 1, Integer::sum);
                umax = Math.max(umax, h.u(i));
                vmax = Math.max(vmax, h.v(i));
            }
            sb.append(
                    String.format(
                            "%n  => CLFT LiDAR pickle: %d points, camera ids %s, u <= %d, v <= %d%s",
                            p.points().size(),
                            cams,
                            umax,
                            vmax,
                            p.hasClassInstance() ? ", with class_instance" : ""));
        }
        return sb.toString();
    }

    private static String image(Path f) {
        Image img = ImageCodec.read(f, ImageCodec.Channels.AS_STORED);
        String kind = img.channels() == 3 ? "RGB image" : "single-channel image";
        StringBuilder sb =
                new StringBuilder(String.format("%s %dx%d", kind, img.width(), img.height()));
        if (img.channels() == 1) {
            Map<Integer, Integer> hist = new TreeMap<>();
            var px = img.pixels();
            for (int i = 0; i < px.capacity(); i++) {
                hist.merge(px.get(i) & 0xFF, 1, Integer::sum);
            }
            if (hist.size() <= 32) {
                sb.append(", values (class ids) -> pixels: ").append(hist);
            }
        }
        return sb.toString();
    }

    private static String json(Path f) {
        JsonObject j = new JsonObject(new String(Files2.readAll(f), StandardCharsets.UTF_8));
        if (j.containsKey("camera") && j.containsKey("lidarToCamera")) {
            return calibration(JsonCalibration.read(f), true);
        }
        if (j.getValue("cameras") instanceof JsonArray) {
            return RigReport.of(RigFiles.read(f));
        }
        if (j.containsKey("recording") || j.containsKey("dataset")) {
            return "replay playlist: " + j.encode();
        }
        if (j.containsKey("split") || j.containsKey("frameRateHz")) {
            return "recorded drive manifest: " + j.encode();
        }
        if (j.containsKey("CLFT") || j.containsKey("Dataset")) {
            return "CLFT (AIM) training config: " + j.getString("Summary", "");
        }
        return "JSON with keys "
                + j.fieldNames()
                + " (node config if it has http/replay/sync blocks)";
    }

    private static String text(Path f) {
        String t = new String(Files2.readAll(f), StandardCharsets.UTF_8);
        if (t.contains("P2:") || t.contains("Tr_velo_to_cam")) {
            return "KITTI " + calibration(KittiCalibration.read(f, 1, 1), false);
        }
        List<String> lines = SplitFile.read(f);
        if (lines.isEmpty()) {
            return "empty split file";
        }
        DatasetLayout layout = DatasetLayout.guess(lines.get(0));
        Path root = f.toAbsolutePath().getParent();
        long missing = lines.stream().filter(l -> !Files.exists(root.resolve(l))).count();
        return String.format(
                "split file, %d frames, layout %s, first '%s', %d camera files missing under %s",
                lines.size(), layout.id(), lines.get(0), missing, root);
    }

    private static String calibration(Calibration c, boolean withSize) {
        var cam = c.camera();
        return String.format(
                Locale.ROOT,
                "calibration: %s camera fx=%.3f fy=%.3f cx=%.3f cy=%.3f, %s, LiDAR->camera translation (%.3f, %.3f, %.3f) m",
                cam.modelName(),
                cam.fx(),
                cam.fy(),
                cam.cx(),
                cam.cy(),
                withSize
                        ? "image " + c.width() + "x" + c.height()
                        : "image size taken from the image",
                c.lidarToCamera().get(0, 3),
                c.lidarToCamera().get(1, 3),
                c.lidarToCamera().get(2, 3));
    }
}

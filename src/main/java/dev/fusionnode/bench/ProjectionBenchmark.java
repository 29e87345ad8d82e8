package dev.fusionnode.bench;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.geometry.EncodedLidar;
import dev.fusionnode.geometry.LidarEncoding;
import dev.fusionnode.geometry.LidarProjector;
import dev.fusionnode.geometry.ModelInputs;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.KittiCalibration;
import dev.fusionnode.io.KittiScanReader;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node benchmark projection}: times projecting a KITTI scan into the CLFT LiDAR image
 * on one thread and prints median / p90 / mean per frame.
 */
@Command(
        name = "projection",
        mixinStandardHelpOptions = true,
        description = "Time projecting a KITTI scan into the CLFT LiDAR image on one thread.")
final class ProjectionBenchmark implements Callable<Integer> {
    @Option(
            names = "--kitti",
            defaultValue = "data/kitti",
            description = "KITTI folder (default: ${DEFAULT-VALUE}).")
    Path kitti;

    @Option(
            names = "--frame",
            defaultValue = "000000",
            description = "KITTI frame (default: ${DEFAULT-VALUE}).")
    String frame;

    @Option(
            names = "--iterations",
            defaultValue = "2000",
            description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(
            names = "--encoding",
            defaultValue = "zod-basic",
            description = "Encoding of the headline figure (default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(
            names = "--all",
            description =
                    "Also time projection alone, every encoding and the 384x384 model inputs.")
    boolean all;

    @Option(
            names = "--warmup",
            defaultValue = "2000",
            description = "Warm-up iterations (default: ${DEFAULT-VALUE}).")
    int warmup;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        Image image =
                ImageCodec.read(
                        kitti.resolve("image_2/" + frame + ".png"), ImageCodec.Channels.RGB);
        PointCloud cloud = KittiScanReader.read(kitti.resolve("velodyne/" + frame + ".bin"));
        Calibration calib =
                KittiCalibration.read(
                        kitti.resolve("calib/" + frame + ".txt"), image.width(), image.height());
        LidarScan scan = LidarScan.of("top", 0, 0, cloud, frame);
        LidarProjector projector = new LidarProjector(0.5);
        System.out.printf(
                Locale.ROOT,
                "KITTI %s: %d points, image %dx%d, 1 thread, %d warm-up + %d timed iterations%n",
                frame,
                cloud.size(),
                image.width(),
                image.height(),
                warmup,
                iterations);
        // the headline first, while the JIT's profile is that of a node (one encoding, one path)
        LidarEncoding headline = LidarEncoding.fromId(encoding);
        report(
                "project + encode "
                        + headline.id()
                        + " ("
                        + image.width()
                        + "x"
                        + image.height()
                        + ")",
                () -> headline.rasterize(projector, scan, calib, image.width(), image.height()));
        if (all) {
            report("project only (P2*R0*Tr, depth > 0.5 m)", () -> projector.project(scan, calib));
            for (LidarEncoding e : LidarEncoding.values()) {
                report(
                        "project + encode "
                                + e.id()
                                + " ("
                                + image.width()
                                + "x"
                                + image.height()
                                + ")",
                        () -> e.rasterize(projector, scan, calib, image.width(), image.height()));
            }
            EncodedLidar enc =
                    headline.rasterize(projector, scan, calib, image.width(), image.height());
            report(
                    "model input: LiDAR image -> 3x384x384 (PIL bilinear, /255)",
                    () -> ModelInputs.lidar(enc.image(), 384));
            report(
                    "model input: RGB image -> 3x384x384 (PIL bilinear, normalised)",
                    () -> ModelInputs.rgb(image, 384, ModelInputs.ZOD_MEAN, ModelInputs.ZOD_STD));
        }
        return 0;
    }

    private void report(String name, Supplier<Object> task) {
        Object sink = null;
        for (int i = 0; i < warmup; i++) {
            sink = task.get();
        }
        long[] t = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            sink = task.get();
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        double mean = Arrays.stream(t).average().orElse(0) / 1e6;
        System.out.printf(
                Locale.ROOT,
                "%-70s median %7.3f ms   p90 %7.3f ms   mean %7.3f ms   min %7.3f ms%n",
                name,
                t[t.length / 2] / 1e6,
                t[(int) (t.length * 0.9)] / 1e6,
                mean,
                t[0] / 1e6);
        if (sink == null) {
            throw new IllegalStateException("benchmark produced nothing");
        }
    }
}

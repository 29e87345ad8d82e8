package dev.fusionnode.bench;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.geometry.EncodedLidar;
import dev.fusionnode.geometry.LidarEncoding;
import dev.fusionnode.geometry.LidarProjector;
import dev.fusionnode.geometry.ModelInputs;
import dev.fusionnode.geometry.PilBilinearResize;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.KittiCalibration;
import dev.fusionnode.io.KittiScanReader;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node benchmark preprocess}: the model inputs of one frame (camera and CLFT LiDAR
 * image, Pillow-exact bilinear resize to the model size, the camera normalised) made the plain way
 * (a resized image, then one value at a time) and the fused way the node uses, alternated in one
 * run, with a check that both give the same float bits.
 */
@Command(
        name = "preprocess",
        mixinStandardHelpOptions = true,
        description = {
            "Time making one frame's model inputs, the plain way and the node's fused way.",
            "It resizes a camera image and its CLFT LiDAR image as Pillow does, normalises the"
                    + " camera, and prints percentiles of both ways and whether they agree."
        })
final class PreprocessBenchmark implements Callable<Integer> {
    @Option(
            names = "--frame",
            defaultValue = "recordings/sample-drive/camera/frame_000010.png",
            description =
                    "Camera image; its lidar_png sibling is the LiDAR image (default:"
                            + " ${DEFAULT-VALUE}).")
    Path frame;

    @Option(
            names = "--scan",
            defaultValue = "data/kitti/velodyne/000000.bin",
            description =
                    "A KITTI Velodyne scan, projected as the node does (ZOD basic encoding) through"
                            + " its calib/ sibling, the camera scaled to the benchmark's size: a"
                            + " second LiDAR image, of real points (default: ${DEFAULT-VALUE}).")
    Path scan;

    @Option(
            names = "--width",
            defaultValue = "1363",
            description =
                    "Camera width the images are scaled to first (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(
            names = "--height",
            defaultValue = "768",
            description = "Camera height (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(
            names = "--size",
            defaultValue = "384",
            description = "Model input side (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--warmup",
            defaultValue = "100",
            description = "Warm-up pairs per way (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--iterations",
            defaultValue = "300",
            description = "Timed pairs per way (default: ${DEFAULT-VALUE}).")
    int iterations;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        Image camera =
                PilBilinearResize.resize(
                        ImageCodec.read(frame, ImageCodec.Channels.RGB), width, height);
        Image lidar =
                PilBilinearResize.resize(
                        ImageCodec.read(
                                Path.of(frame.toString().replace("camera", "lidar_png")),
                                ImageCodec.Channels.RGB),
                        width,
                        height);
        EncodedLidar projected = projectedScan(scan, width, height);
        // the node's way writes into arrays it keeps, as the inference worker does
        float[] rgbOut = new float[3 * size * size];
        float[] lidarOut = new float[3 * size * size];
        Image scanImage = projected.image();
        float[] mean = ModelInputs.ZOD_MEAN;
        float[] std = ModelInputs.ZOD_STD;
        boolean same =
                Arrays.equals(
                                ModelInputs.rgb(camera, size, mean, std),
                                ModelInputs.reference(camera, size, mean, std))
                        && Arrays.equals(
                                ModelInputs.lidar(lidar, size),
                                ModelInputs.reference(lidar, size, null, null));
        nodesWay(camera, lidar, rgbOut, lidarOut);
        same &=
                Arrays.equals(rgbOut, ModelInputs.rgb(camera, size, mean, std))
                        && Arrays.equals(lidarOut, ModelInputs.lidar(lidar, size));
        nodesWay(camera, scanImage, rgbOut, lidarOut);
        same &=
                Arrays.equals(lidarOut, ModelInputs.reference(scanImage, size, null, null))
                        && Arrays.equals(
                                ModelInputs.lidar(scanImage, size),
                                ModelInputs.reference(scanImage, size, null, null));
        long[] plain = new long[iterations];
        long[] fused = new long[iterations];
        long[] parallel = new long[iterations];
        long[] withScan = new long[iterations];
        for (int i = -warmup; i < iterations; i++) {
            long plainNs = plainWay(camera, lidar);
            long t0 = System.nanoTime();
            sink(ModelInputs.rgb(camera, size, mean, std));
            sink(ModelInputs.lidar(lidar, size));
            long fusedNs = System.nanoTime() - t0;
            long parallelNs = nodesWay(camera, lidar, rgbOut, lidarOut);
            plainWay(camera, lidar); // so that this pair too starts with the caches emptied
            long withScanNs = nodesWay(camera, scanImage, rgbOut, lidarOut);
            if (i >= 0) {
                plain[i] = plainNs;
                fused[i] = fusedNs;
                parallel[i] = parallelNs;
                withScan[i] = withScanNs;
            }
        }
        // the node's way again, back to back: its buffers and the images stay in the caches
        long[] warm = new long[iterations];
        long[] warmScan = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            warm[i] = nodesWay(camera, lidar, rgbOut, lidarOut);
        }
        for (int i = 0; i < iterations; i++) {
            warmScan[i] = nodesWay(camera, scanImage, rgbOut, lidarOut);
        }
        System.out.printf(
                Locale.ROOT,
                "model inputs of one frame: %dx%d camera + LiDAR image -> 2 x 3x%dx%d floats,"
                        + " %d pairs per way, alternated%n",
                width,
                height,
                size,
                size,
                iterations);
        System.out.printf(
                Locale.ROOT,
                "%-40s %9s %9s %9s %9s%n",
                "way",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "mean");
        row("plain (resized image, then floats)", plain);
        row("fused, one thread", fused);
        row("fused, pieces on 2 cores (node's)", parallel);
        row("node's, back to back (warm caches)", warm);
        System.out.printf(
                Locale.ROOT,
                "the same camera with %s projected (%d points in the image):%n",
                scan,
                projected.pointsLanded());
        row("fused, pieces on 2 cores (node's)", withScan);
        row("node's, back to back (warm caches)", warmScan);
        System.out.println("same float bits: " + same);
        return same ? 0 : 1;
    }

    /**
     * The scan through its KITTI calibration, the camera's focal lengths and centre scaled from the
     * scan's own image to the benchmark's size.
     */
    static EncodedLidar projectedScan(Path scan, int width, int height) {
        Path kitti = scan.toAbsolutePath().getParent().getParent();
        String name = scan.getFileName().toString().replace(".bin", "");
        Image own =
                ImageCodec.read(kitti.resolve("image_2/" + name + ".png"), ImageCodec.Channels.RGB);
        Calibration calib =
                KittiCalibration.read(
                        kitti.resolve("calib/" + name + ".txt"), own.width(), own.height());
        PinholeCamera c = (PinholeCamera) calib.camera();
        double sx = (double) width / own.width();
        double sy = (double) height / own.height();
        Calibration scaled =
                new Calibration(
                        width,
                        height,
                        PinholeCamera.ideal(c.fx() * sx, c.fy() * sy, c.cx() * sx, c.cy() * sy),
                        calib.lidarToCamera());
        LidarScan points = LidarScan.of("top", 0, 0, KittiScanReader.read(scan), name);
        return LidarEncoding.ZOD_BASIC.rasterize(
                new LidarProjector(0.5), points, scaled, width, height);
    }

    /** The plain way (a resized image, then one value at a time); its time in nanoseconds. */
    private long plainWay(Image camera, Image lidar) {
        long t0 = System.nanoTime();
        sink(ModelInputs.reference(camera, size, ModelInputs.ZOD_MEAN, ModelInputs.ZOD_STD));
        sink(ModelInputs.reference(lidar, size, null, null));
        return System.nanoTime() - t0;
    }

    /** The node's way, into the kept arrays; its time in nanoseconds. */
    private long nodesWay(Image camera, Image lidar, float[] rgbOut, float[] lidarOut) {
        long t0 = System.nanoTime();
        var both =
                ModelInputs.pair(
                        camera,
                        lidar,
                        size,
                        ModelInputs.ZOD_MEAN,
                        ModelInputs.ZOD_STD,
                        ModelInputs.helperThread(),
                        rgbOut,
                        lidarOut);
        sink(both.rgb());
        sink(both.lidar());
        return System.nanoTime() - t0;
    }

    private static volatile float blackhole;

    private static void sink(float[] f) {
        blackhole += f[f.length / 2];
    }

    private static void row(String name, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.printf(
                Locale.ROOT,
                "%-40s %9.2f %9.2f %9.2f %9.2f%n",
                name,
                s[s.length / 2] / 1e6,
                s[(int) (s.length * 0.9)] / 1e6,
                s[(int) (s.length * 0.99)] / 1e6,
                Arrays.stream(s).average().orElse(0) / 1e6);
    }
}

package dev.fusionnode.bench;

import dev.fusionnode.geometry.ModelInputs;
import dev.fusionnode.geometry.PilBilinearResize;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Image;
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
        float[] mean = ModelInputs.ZOD_MEAN;
        float[] std = ModelInputs.ZOD_STD;
        boolean same =
                Arrays.equals(
                                ModelInputs.rgb(camera, size, mean, std),
                                ModelInputs.reference(camera, size, mean, std))
                        && Arrays.equals(
                                ModelInputs.lidar(lidar, size),
                                ModelInputs.reference(lidar, size, null, null));
        var twoCores = ModelInputs.pair(camera, lidar, size, mean, std, ModelInputs.helperThread());
        same &=
                Arrays.equals(twoCores.rgb(), ModelInputs.rgb(camera, size, mean, std))
                        && Arrays.equals(twoCores.lidar(), ModelInputs.lidar(lidar, size));
        long[] plain = new long[iterations];
        long[] fused = new long[iterations];
        long[] parallel = new long[iterations];
        for (int i = -warmup; i < iterations; i++) {
            long t0 = System.nanoTime();
            sink(ModelInputs.reference(camera, size, mean, std));
            sink(ModelInputs.reference(lidar, size, null, null));
            long t1 = System.nanoTime();
            sink(ModelInputs.rgb(camera, size, mean, std));
            sink(ModelInputs.lidar(lidar, size));
            long t2 = System.nanoTime();
            var both = ModelInputs.pair(camera, lidar, size, mean, std, ModelInputs.helperThread());
            sink(both.rgb());
            sink(both.lidar());
            long t3 = System.nanoTime();
            if (i >= 0) {
                plain[i] = t1 - t0;
                fused[i] = t2 - t1;
                parallel[i] = t3 - t2;
            }
        }
        // the node's way again, back to back: its buffers and the images stay in the caches
        long[] warm = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            var both = ModelInputs.pair(camera, lidar, size, mean, std, ModelInputs.helperThread());
            sink(both.rgb());
            sink(both.lidar());
            warm[i] = System.nanoTime() - t0;
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
        System.out.println("same float bits: " + same);
        return same ? 0 : 1;
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

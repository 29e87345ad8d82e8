package dev.fusionnode.bench;

import dev.fusionnode.geometry.PilBilinearResize;
import dev.fusionnode.inference.MaskOverlay;
import dev.fusionnode.inference.ModelClasses;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.SegmentedFrame;
import dev.fusionnode.publish.FrameEncoderVerticle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node benchmark publish}: the cost of publishing one mask at the dataset's size
 * (1363x768 by default): encoding the mask PNG, the overlay and camera JPEGs and the meta JSON, as
 * {@link FrameEncoderVerticle} does once per frame for every publisher.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Time encoding one frame for publishing and fanning it out.",
            "It times the mask PNG, the overlay and camera JPEGs, the metadata and the MQTT and"
                    + " WebSocket fan-out, and prints percentiles."
        })
final class PublishBenchmark implements Callable<Integer> {
    @Option(
            names = "--frame",
            defaultValue = "recordings/sample-drive/camera/frame_000010.png",
            description = "Camera image; its annotation is the mask (default: ${DEFAULT-VALUE}).")
    Path frame;

    @Option(
            names = "--width",
            defaultValue = "1363",
            description = "Frame width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(
            names = "--height",
            defaultValue = "768",
            description = "Frame height (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(
            names = "--warmup",
            defaultValue = "100",
            description = "Warm-up iterations (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--iterations",
            defaultValue = "500",
            description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(
            names = "--fan-out-warmup",
            defaultValue = "10000",
            description =
                    "Warm-up frames of the fan-out run (sent as encoded once), enough for the JIT"
                            + " compiler to finish with the broker's and the clients' code"
                            + " (default: ${DEFAULT-VALUE}).")
    int fanOutWarmup;

    @Option(
            names = "--clients",
            defaultValue = "4",
            description =
                    "MQTT and WebSocket subscribers each for the fan-out run; 0 skips it"
                            + " (default: ${DEFAULT-VALUE}).")
    int clients;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        Image camera =
                PilBilinearResize.resize(
                        ImageCodec.read(frame, ImageCodec.Channels.RGB), width, height);
        Image ann =
                ImageCodec.read(
                        Path.of(frame.toString().replace("camera", "annotation_camera_only")),
                        ImageCodec.Channels.AS_STORED);
        byte[] labels = ann.copyPixels();
        byte[] train = new byte[labels.length];
        int[] relabel = {0, 0, 1, 2, 3, 3};
        for (int i = 0; i < labels.length; i++) {
            train[i] = (byte) relabel[Math.min(5, labels[i] & 0xFF)];
        }
        Image mask = squareToSize(train, ann.width(), ann.height(), width, height);
        SegmentedFrame f =
                new SegmentedFrame(
                        new FusedFrame(
                                new CameraFrame("front", 1, 0, camera, frame.toString()),
                                Optional.empty(),
                                Optional.empty(),
                                0,
                                0,
                                System.nanoTime()),
                        mask,
                        smoothConfidence(width, height),
                        0,
                        "benchmark",
                        1,
                        0,
                        0,
                        0,
                        0,
                        0);
        String[] parts = {"mask PNG", "overlay blend", "overlay JPEG", "camera JPEG", "all"};
        double[][] ms = new double[parts.length][iterations];
        int bytes = 0;
        GcPauses gc = null;
        // the blend goes into one buffer, as the node's encoder keeps one per thread
        byte[] blend = new byte[width * height * 3];
        for (int i = 0; i < warmup + iterations; i++) {
            if (i == warmup) {
                gc = new GcPauses();
            }
            long t0 = System.nanoTime();
            byte[] png = ImageCodec.encodeMapPng(mask);
            long t1 = System.nanoTime();
            Image blended = MaskOverlay.overlay(camera, mask, ModelClasses.ZOD.colors(), blend);
            long t2 = System.nanoTime();
            byte[] overlay = ImageCodec.encodeJpeg(blended, 85);
            long t3 = System.nanoTime();
            byte[] cam = ImageCodec.encodeJpeg(camera, 85);
            long t4 = System.nanoTime();
            var e = FrameEncoderVerticle.encode(f, ModelClasses.ZOD, 0);
            long t5 = System.nanoTime();
            if (i >= warmup) {
                int k = i - warmup;
                ms[0][k] = (t1 - t0) / 1e6;
                ms[1][k] = (t2 - t1) / 1e6;
                ms[2][k] = (t3 - t2) / 1e6;
                ms[3][k] = (t4 - t3) / 1e6;
                ms[4][k] = (t5 - t4) / 1e6;
                bytes = png.length + overlay.length + cam.length + e.meta().encode().length();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "encoding one frame for publishing at %dx%d, %d warm-up + %d timed iterations,"
                        + " %d bytes per frame:%n",
                width,
                height,
                warmup,
                iterations,
                bytes);
        for (int p = 0; p < parts.length; p++) {
            Arrays.sort(ms[p]);
            System.out.printf(
                    Locale.ROOT,
                    "  %-14s median %6.2f ms   p99 %6.2f ms   min %6.2f ms%n",
                    parts[p],
                    ms[p][iterations / 2],
                    ms[p][(int) (iterations * 0.99)],
                    ms[p][0]);
        }
        gc.close();
        System.out.println("  garbage collections while timed: " + gc.summary());
        if (clients > 0) {
            try (GcPauses fanOut = new GcPauses()) {
                new PublishFanOutBenchmark(f, clients, fanOutWarmup, Math.max(100, iterations / 2))
                        .run();
                System.out.println(
                        "  garbage collections during the fan-out run (warm-up included): "
                                + fanOut.summary());
            }
        }
        return 0;
    }

    /**
     * A confidence map as the node publishes one: the model's map (smooth away from class edges,
     * here a product of sines at 384x384) scaled to the frame by nearest neighbour.
     */
    static Image smoothConfidence(int w, int h) {
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = x * 384 / w;
                int sy = y * 384 / h;
                double v = 200 + 50 * Math.sin(sx / 23.0) * Math.cos(sy / 31.0);
                px[y * w + x] = (byte) Math.min(255, (int) v);
            }
        }
        return new Image(w, h, 1, px);
    }

    private static Image squareToSize(byte[] m, int w, int h, int outW, int outH) {
        byte[] out = new byte[outW * outH];
        for (int y = 0; y < outH; y++) {
            int sy = (int) ((long) y * h / outH);
            for (int x = 0; x < outW; x++) {
                out[y * outW + x] = m[sy * w + (int) ((long) x * w / outW)];
            }
        }
        return new Image(outW, outH, 1, out);
    }
}

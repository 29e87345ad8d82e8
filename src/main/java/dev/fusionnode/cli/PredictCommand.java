package dev.fusionnode.cli;

import ai.djl.inference.Predictor;
import dev.fusionnode.inference.InputPreprocessor;
import dev.fusionnode.inference.MaskOverlay;
import dev.fusionnode.inference.MaskResize;
import dev.fusionnode.inference.ModelLoader;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.NpyWriter;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.model.SegmentationOutput;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node predict}: one frame through a CLFT model (clft-spec §7.1): preprocessing,
 * forward, argmax, the mask resized back to the camera size (nearest).
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Segment one camera image (and its CLFT LiDAR image) with a CLFT model.",
            "Without --checkpoint the model is randomly initialised (a shape and timing check)."
        })
final class PredictCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            description = "Paper-format config JSON (model, classes, normalisation).")
    Path config;

    @Option(
            names = "--checkpoint",
            description =
                    "The .pth weights, a state dict or a trainer file (default: random weights).")
    Path checkpoint;

    @Option(names = "--rgb", required = true, description = "Camera image (PNG/JPEG).")
    Path rgb;

    @Option(
            names = "--lidar",
            description = "CLFT LiDAR image at camera size (lidar_png, or made by `project`).")
    Path lidar;

    @Option(
            names = "--out",
            required = true,
            description = "Mask PNG: train-class index per pixel.")
    Path out;

    @Option(names = "--logits", description = "Write the logits (1, C, S, S) float32 as .npy.")
    Path logits;

    @Option(names = "--overlay", description = "Write the camera image with the coloured mask.")
    Path overlay;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "Device to run on: auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description =
                    "Seed of the random weights without --checkpoint (default: ${DEFAULT-VALUE}).")
    long seed;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        PaperConfig cfg;
        Image camera;
        Image lidarImage = null;
        try {
            cfg = PaperConfig.read(config);
            camera = ImageCodec.read(rgb, ImageCodec.Channels.RGB);
            if (lidar != null) {
                lidarImage = ImageCodec.read(lidar, ImageCodec.Channels.RGB);
            }
        } catch (BadInputException | IllegalArgumentException e) {
            System.err.println("predict: " + e.getMessage());
            return 2;
        }
        ClftSpec spec = cfg.modelSpec();
        if (spec.mode().usesLidar() && lidarImage == null) {
            System.err.println(
                    "predict: "
                            + config.getFileName()
                            + " is a "
                            + spec.mode().id()
                            + " model and needs --lidar");
            return 2;
        }
        InputPreprocessor preprocessor = InputPreprocessor.of(spec, cfg);
        long t0 = System.nanoTime();
        try (ClftModel model =
                        checkpoint == null
                                ? ClftModel.random(
                                        spec, ModelLoader.device(device), seed, "random-" + seed)
                                : ClftModel.load(spec, checkpoint, ModelLoader.device(device));
                Predictor<ClftSample, SegmentationOutput> p = model.newPredictor(logits != null)) {
            if (checkpoint == null) {
                System.err.println("predict: no --checkpoint: random weights (seed " + seed + ")");
            }
            long t1 = System.nanoTime();
            int s = spec.imageSize();
            ClftSample sample = preprocessor.sample(camera, Optional.ofNullable(lidarImage));
            long t2 = System.nanoTime();
            SegmentationOutput o = p.predict(sample);
            long t3 = System.nanoTime();
            Image mask = MaskResize.nearest(o.mask(), o.size(), camera.width(), camera.height());
            write(out, ImageCodec.encodeMapPng(mask));
            if (overlay != null) {
                write(
                        overlay,
                        ImageCodec.encodePng(MaskOverlay.overlay(camera, mask, cfg.classColors())));
            }
            if (logits != null) {
                NpyWriter.writeFloat32(logits, o.logits(), 1, o.classes(), s, s);
            }
            long t4 = System.nanoTime();
            System.out.printf(
                    Locale.ROOT,
                    "%s: %s %s %s (%d parameters, %s) on %s%n",
                    out,
                    spec.backbone().timmName(),
                    spec.mode().id(),
                    model.version(),
                    model.parameterCount(),
                    model.device(),
                    camera.width() + "x" + camera.height());
            System.out.printf(Locale.ROOT, "  classes: %s%n", shares(mask, cfg.classNames()));
            System.out.printf(
                    Locale.ROOT,
                    "  load %.0f ms, preprocess %.1f ms, forward %.1f ms, postprocess %.1f ms%n",
                    (t1 - t0) / 1e6,
                    (t2 - t1) / 1e6,
                    (t3 - t2) / 1e6,
                    (t4 - t3) / 1e6);
            return 0;
        } catch (BadInputException e) {
            System.err.println("predict: " + e.getMessage());
            return 2;
        }
    }

    private static String shares(Image mask, List<String> names) {
        long[] counts = new long[256];
        var px = mask.pixels();
        for (int i = 0; i < px.capacity(); i++) {
            counts[px.get(i) & 0xFF]++;
        }
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < names.size(); c++) {
            sb.append(c == 0 ? "" : ", ")
                    .append(names.get(c))
                    .append(
                            String.format(
                                    Locale.ROOT, " %.1f%%", 100.0 * counts[c] / px.capacity()));
        }
        return sb.toString();
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, bytes);
    }
}

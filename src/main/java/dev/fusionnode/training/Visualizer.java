package dev.fusionnode.training;

import dev.fusionnode.inference.MaskOverlay;
import dev.fusionnode.inference.MaskResize;
import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.Image;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The paper's visualiser (clft-spec §7.3) over a list of frames: per frame {@code segment/} (the
 * colourised prediction at camera size, nearest), {@code overlay/} (0.6 colour + 0.4 image where
 * the colour is not black), {@code compare/} (ground-truth foreground pixels green where predicted
 * right, red where wrong) and {@code correct_only/} (the prediction where it equals the ground
 * truth). Colours are the config's, written as RGB (the paper's OpenCV writer swapped them).
 */
public final class Visualizer {
    private Visualizer() {}

    /** Writes the four images of each frame under {@code out}; returns the frames written. */
    public static int write(
            ClftModel model,
            PaperConfig config,
            List<DatasetFrame> frames,
            Path out,
            int batchSize) {
        SampleLoader samples = SampleLoader.of(model.spec(), config, Augmentation.NONE);
        int[] colours = config.classColors();
        int[] relabel = config.relabelTable();
        int written = 0;
        try (ClftTrainer t = new ClftTrainer(model, config.classWeights(), 0, 1)) {
            for (List<DatasetFrame> batch : Batches.plan(frames, batchSize, null, false)) {
                List<TrainingSample> loaded =
                        batch.stream().map(f -> samples.load(f, new Random(0))).toList();
                byte[] pred = t.evaluateBatch(loaded).prediction();
                int s = model.spec().imageSize();
                for (int i = 0; i < batch.size(); i++) {
                    DatasetFrame f = batch.get(i);
                    Image cam = ImageCodec.read(f.camera(), ImageCodec.Channels.RGB);
                    byte[] one = new byte[s * s];
                    System.arraycopy(pred, i * s * s, one, 0, s * s);
                    Image mask = MaskResize.nearest(one, s, cam.width(), cam.height());
                    Image truth =
                            ImageCodec.read(
                                    f.annotation().orElseThrow(), ImageCodec.Channels.AS_STORED);
                    String name =
                            f.camera().getFileName().toString().replaceFirst("\\.[^.]+$", ".png");
                    save(
                            out.resolve("segment").resolve(name),
                            MaskOverlay.colourise(mask, colours));
                    save(
                            out.resolve("overlay").resolve(name),
                            MaskOverlay.overlay(cam, mask, colours));
                    save(out.resolve("compare").resolve(name), compare(mask, truth, relabel));
                    save(
                            out.resolve("correct_only").resolve(name),
                            correctOnly(mask, truth, relabel, colours));
                    written++;
                }
            }
        }
        return written;
    }

    /** Green where a ground-truth foreground pixel is predicted right, red where wrong. */
    static Image compare(Image mask, Image truth, int[] relabel) {
        byte[] out = new byte[mask.width() * mask.height() * 3];
        for (int i = 0; i < mask.width() * mask.height(); i++) {
            int g = relabel[truth.pixels().get(i) & 0xFF];
            if (g != 0) {
                boolean right = (mask.pixels().get(i) & 0xFF) == g;
                out[3 * i + (right ? 1 : 0)] = (byte) 255;
            }
        }
        return new Image(mask.width(), mask.height(), 3, out);
    }

    private static Image correctOnly(Image mask, Image truth, int[] relabel, int[] colours) {
        byte[] keep = new byte[mask.width() * mask.height()];
        for (int i = 0; i < keep.length; i++) {
            int p = mask.pixels().get(i) & 0xFF;
            keep[i] = p == relabel[truth.pixels().get(i) & 0xFF] ? (byte) p : 0;
        }
        return MaskOverlay.colourise(new Image(mask.width(), mask.height(), 1, keep), colours);
    }

    private static void save(Path file, Image img) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ImageCodec.encodePng(img));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

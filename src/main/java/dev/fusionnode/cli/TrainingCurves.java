package dev.fusionnode.cli;

import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** Draws training curves (loss, per-class validation IoU per epoch) to a PNG with XChart. */
final class TrainingCurves {
    private TrainingCurves() {}

    /** One PNG with two charts side by side: train/val loss, and val IoU per foreground class. */
    static void write(List<JsonObject> epochs, List<String> classes, Path png) {
        writeRuns(List.of(new Series("", epochs)), classes, png);
    }

    /** A named run's epoch logs. */
    record Series(String name, List<JsonObject> epochs) {}

    /** Curves of several runs in one PNG (for comparisons such as transfer vs scratch). */
    static void writeRuns(List<Series> runs, List<String> classes, Path png) {
        XYChart loss =
                new XYChartBuilder()
                        .width(640)
                        .height(420)
                        .title("Loss")
                        .xAxisTitle("epoch")
                        .build();
        XYChart iou =
                new XYChartBuilder()
                        .width(640)
                        .height(420)
                        .title("Validation IoU")
                        .xAxisTitle("epoch")
                        .build();
        for (Series run : runs) {
            String prefix = run.name().isEmpty() ? "" : run.name() + " ";
            List<Double> x = new ArrayList<>();
            List<Double> train = new ArrayList<>();
            List<Double> val = new ArrayList<>();
            for (JsonObject e : run.epochs()) {
                x.add((double) e.getInteger("epoch"));
                JsonObject r = e.getJsonObject("results");
                train.add(r.getJsonObject("train").getDouble("loss"));
                val.add(r.getJsonObject("val").getDouble("loss"));
            }
            loss.addSeries(prefix + "train", x, train);
            loss.addSeries(prefix + "val", x, val);
            for (String c : classes.subList(1, classes.size())) {
                List<Double> y = new ArrayList<>();
                for (JsonObject e : run.epochs()) {
                    JsonObject v = e.getJsonObject("results").getJsonObject("val");
                    y.add(v.getJsonObject(c).getDouble("iou"));
                }
                iou.addSeries(prefix + c, x, y);
            }
            List<Double> miou = new ArrayList<>();
            for (JsonObject e : run.epochs()) {
                miou.add(e.getJsonObject("results").getJsonObject("val").getDouble("mean_iou"));
            }
            iou.addSeries(prefix + "mIoU", x, miou);
        }
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            BufferedImage a = BitmapEncoder.getBufferedImage(loss);
            BufferedImage b = BitmapEncoder.getBufferedImage(iou);
            BufferedImage both =
                    new BufferedImage(
                            a.getWidth() + b.getWidth(),
                            Math.max(a.getHeight(), b.getHeight()),
                            BufferedImage.TYPE_INT_RGB);
            var g = both.createGraphics();
            g.drawImage(a, 0, 0, null);
            g.drawImage(b, a.getWidth(), 0, null);
            g.dispose();
            ImageIO.write(both, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}

package dev.fusionnode.cli;

import ai.djl.inference.Predictor;
import dev.fusionnode.inference.InferenceOptions;
import dev.fusionnode.inference.ModelLoader;
import dev.fusionnode.inference.ModelOptions;
import dev.fusionnode.inference.ServedModel;
import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.learning.AutoLabeller;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.SegmentationOutput;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.training.DatasetSplits;
import dev.fusionnode.training.SampleLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node autolabel}: the teacher of the learning loop, offline. Copies a dataset and
 * replaces the annotations of one split with a teacher model's pseudo-labels (pixels under the
 * confidence threshold left unlabelled, each frame marked as pseudo-labelled); the other splits
 * keep their human annotations. The copy trains a student with {@code train --pseudo-weight}.
 */
@Command(
        name = "autolabel",
        mixinStandardHelpOptions = true,
        description = {
            "Pseudo-label one split of a dataset with a teacher model into a copy of the dataset.",
            "Pixels the teacher is not confident of stay unlabelled; the other splits keep their"
                    + " human annotations."
        })
final class AutolabelCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            description = "Teacher's paper config (model structure, classes).")
    Path teacherConfig;

    @Option(names = "--checkpoint", required = true, description = "Teacher's .pth weights.")
    Path checkpoint;

    @Option(
            names = "--student-config",
            required = true,
            description =
                    "Student's paper config: dataset layout and ids the annotations are written in.")
    Path studentConfig;

    @Option(names = "--data", required = true, description = "Dataset root (split files in it).")
    Path data;

    @Option(
            names = "--split",
            defaultValue = "train.txt",
            description = "Split whose frames the teacher labels (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--out", required = true, description = "Folder of the labelled copy.")
    Path out;

    @Option(
            names = "--threshold",
            defaultValue = "0.7",
            description =
                    "Top softmax probability under which a pixel stays unlabelled (default:"
                            + " ${DEFAULT-VALUE}).")
    double threshold;

    @Option(
            names = "--device",
            defaultValue = "cpu",
            description = "Device to run on: cpu, gpu or auto (default: ${DEFAULT-VALUE}).")
    String device;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        PaperConfig student;
        ServedModel teacher;
        try {
            student = PaperConfig.read(studentConfig);
            teacher =
                    ModelLoader.load(
                            InferenceOptions.single(
                                    ModelOptions.files(teacherConfig, checkpoint), device, 0));
        } catch (BadInputException | IllegalArgumentException e) {
            System.err.println("autolabel: " + e.getMessage());
            return 2;
        }
        int[] ids = AutoLabeller.datasetIds(teacher.classes().names(), student);
        Path pseudoSplit = data.resolve(split);
        if (!Files.isRegularFile(pseudoSplit)) {
            System.err.println("autolabel: no split " + pseudoSplit);
            return 2;
        }
        Files.createDirectories(out);
        List<Path> splits;
        try (Stream<Path> s = Files.list(data)) {
            splits = s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        Set<String> toLabel = new HashSet<>();
        for (DatasetFrame f : DatasetSplits.read(student, data, pseudoSplit)) {
            toLabel.add(f.line());
        }
        Set<String> done = new HashSet<>();
        long t0 = System.nanoTime();
        int labelled = 0;
        double ignored = 0;
        try (Predictor<ClftSample, SegmentationOutput> predictor =
                teacher.model().newPredictor(false)) {
            for (Path splitFile : splits) {
                Files.copy(
                        splitFile,
                        out.resolve(splitFile.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
                for (DatasetFrame f : DatasetSplits.read(student, data, splitFile)) {
                    if (!done.add(f.line())) {
                        continue;
                    }
                    Path camera = copy(f.camera());
                    Optional<Path> lidar = f.lidarPng().map(this::copy);
                    Path annotation =
                            out.resolve(
                                    data.relativize(
                                            f.annotation()
                                                    .orElse(
                                                            data.resolve(
                                                                    f.line()
                                                                            .replace(
                                                                                    "camera",
                                                                                    student.dataset()
                                                                                            .annotationPath())))));
                    if (!toLabel.contains(f.line())) {
                        f.annotation().ifPresent(this::copy);
                        continue;
                    }
                    Image cam = ImageCodec.read(camera, ImageCodec.Channels.RGB);
                    Optional<Image> li =
                            lidar.map(p -> ImageCodec.read(p, ImageCodec.Channels.RGB));
                    AutoLabeller.PseudoLabel p =
                            AutoLabeller.label(predictor, teacher, cam, li, ids, threshold);
                    Files.createDirectories(annotation.getParent());
                    Files.deleteIfExists(annotation); // never write through a link to the source
                    Files.write(annotation, ImageCodec.encodePng(p.annotation()));
                    Path mark = SampleLoader.pseudoMarkOf(camera);
                    Files.createDirectories(mark.getParent());
                    Files.write(mark, ImageCodec.encodePng(p.confidence()));
                    labelled++;
                    ignored += p.ignoredShare();
                }
            }
        } finally {
            teacher.release();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "autolabel: %d frames of %s labelled by %s (%.1f %% of their pixels left"
                        + " unlabelled under %.2f confidence), %d frames copied, %.1f s; -> %s%n",
                labelled,
                split,
                checkpoint,
                labelled == 0 ? 0 : 100 * ignored / labelled,
                threshold,
                done.size(),
                s,
                out);
        return 0;
    }

    /** Links (or copies) a dataset file to the same place under {@code out}. */
    private Path copy(Path source) {
        Path target = out.resolve(data.relativize(source));
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            try {
                Files.createLink(target, source);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(source, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
        return target;
    }
}

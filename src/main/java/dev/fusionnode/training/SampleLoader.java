package dev.fusionnode.training;

import dev.fusionnode.inference.InputPreprocessor;
import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

/**
 * Turns a dataset frame into a {@link TrainingSample} as the paper's loader does (clft-spec §2.5,
 * §4.3, §7.1-7.2): camera, LiDAR PNG and annotation at full resolution, the augmentation (training
 * only), the camera PIL-bilinear resized and normalised, the LiDAR PIL-bilinear resized to [0, 1],
 * the annotation nearest-resized and relabelled to train classes (unlisted ids to 0). Pixels of
 * value {@link TrainingSample#IGNORE} stay unlabelled. A frame with a pseudo-label mark (a {@code
 * pseudo_confidence/} file beside its annotation, {@code AnnotationStore#addPseudo}) gets the
 * pseudo-label weight, others the human one.
 */
public final class SampleLoader {
    private final InputPreprocessor preprocessor;
    private final int[] relabel;
    private final Augmentation augmentation;
    private final LabelWeights weights;

    /**
     * Loss weights of a frame by where its label came from.
     *
     * @param human a person's annotation (the paper's datasets, uploads)
     * @param pseudo a teacher's pseudo-label
     */
    public record LabelWeights(float human, float pseudo) {
        /** Both 1: every frame counts the same. */
        public static final LabelWeights EQUAL = new LabelWeights(1f, 1f);

        /** Checks the weights. */
        public LabelWeights {
            if (!(human >= 0 && pseudo >= 0 && human + pseudo > 0)) {
                throw new IllegalArgumentException(
                        "label weights must be >= 0 and not both 0, got human "
                                + human
                                + ", pseudo "
                                + pseudo);
            }
        }
    }

    /**
     * @param preprocessor the model's input preparation (size, mode, mean/std)
     * @param relabel dataset id to train class
     * @param augmentation applied before the resize (NONE for validation and test)
     */
    public SampleLoader(InputPreprocessor preprocessor, int[] relabel, Augmentation augmentation) {
        this(preprocessor, relabel, augmentation, LabelWeights.EQUAL);
    }

    private SampleLoader(
            InputPreprocessor preprocessor,
            int[] relabel,
            Augmentation augmentation,
            LabelWeights weights) {
        this.preprocessor = preprocessor;
        this.relabel = relabel.clone();
        this.augmentation = augmentation;
        this.weights = weights;
    }

    /** The same loader with these label weights. */
    public SampleLoader with(LabelWeights other) {
        return new SampleLoader(preprocessor, relabel, augmentation, other);
    }

    /**
     * The pseudo-label mark of a frame's camera file: {@code camera/} to {@code
     * pseudo_confidence/}.
     */
    public static Path pseudoMarkOf(Path camera) {
        Path dir = camera.getParent();
        Path root = dir == null ? null : dir.getParent();
        Path name = camera.getFileName();
        return root == null
                ? Path.of(PSEUDO_MARK_DIR, name.toString())
                : root.resolve(PSEUDO_MARK_DIR).resolve(name);
    }

    /** Folder of the pseudo-label marks (the teacher's confidence, 8-bit PNG). */
    public static final String PSEUDO_MARK_DIR = "pseudo_confidence";

    /** The loader of a paper config for a model of structure {@code spec}. */
    public static SampleLoader of(ClftSpec spec, PaperConfig config, Augmentation augmentation) {
        return new SampleLoader(
                InputPreprocessor.of(spec, config), config.relabelTable(), augmentation);
    }

    /** The same loader with another augmentation. */
    public SampleLoader with(Augmentation other) {
        return new SampleLoader(preprocessor, relabel, other, weights);
    }

    /**
     * Loads one frame.
     *
     * @throws BadInputException when a file is missing or does not decode
     */
    public TrainingSample load(DatasetFrame f, Random rnd) {
        Image camera = ImageCodec.read(f.camera(), ImageCodec.Channels.RGB);
        Path annPath =
                f.annotation()
                        .orElseThrow(
                                () ->
                                        new BadInputException(
                                                BadInputReason.MISSING_FILE,
                                                f.camera().toString(),
                                                "frame "
                                                        + f.index()
                                                        + " ("
                                                        + f.line()
                                                        + ") has no annotation"));
        Image annotation = ImageCodec.read(annPath, ImageCodec.Channels.AS_STORED);
        Image lidar = null;
        if (preprocessor.spec().mode().usesLidar()) {
            lidar =
                    ImageCodec.read(
                            f.lidarPng()
                                    .orElseThrow(
                                            () ->
                                                    new BadInputException(
                                                            BadInputReason.MISSING_FILE,
                                                            f.camera().toString(),
                                                            "frame "
                                                                    + f.index()
                                                                    + " has no lidar_png for a"
                                                                    + " LiDAR model")),
                            ImageCodec.Channels.RGB);
        }
        if (annotation.channels() != 1) {
            throw new BadInputException(
                    BadInputReason.CORRUPT_IMAGE,
                    annPath.toString(),
                    "annotation must have one channel of class ids, found "
                            + annotation.channels());
        }
        Augmentation.Triple t =
                augmentation.apply(new Augmentation.Triple(camera, lidar, annotation), rnd);
        var sample = preprocessor.sample(t.camera(), Optional.ofNullable(t.lidar()));
        int s = sample.size();
        Image labels = Augmentation.nearest(t.annotation(), s, s);
        byte[] px = labels.copyPixels();
        for (int i = 0; i < px.length; i++) {
            int id = px[i] & 0xFF;
            px[i] =
                    id == TrainingSample.IGNORE
                            ? (byte) TrainingSample.IGNORE
                            : (byte) (id < relabel.length ? relabel[id] : 0);
        }
        float weight =
                weights.equals(LabelWeights.EQUAL)
                        ? 1f
                        : Files.exists(pseudoMarkOf(f.camera()))
                                ? weights.pseudo()
                                : weights.human();
        return new TrainingSample(sample.rgb(), sample.lidar(), px, s, weight);
    }
}

package dev.fusionnode.learning;

import ai.djl.inference.Predictor;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.TranslateException;
import dev.fusionnode.inference.MaskResize;
import dev.fusionnode.inference.ServedModel;
import dev.fusionnode.inference.TorchThreadGovernor;
import dev.fusionnode.learning.store.AnnotationStore;
import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.SegmentationOutput;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.training.TrainingSample;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teacher auto-labelling: a larger (or ensemble) model labels the frames sampled into the {@link
 * UnlabelledStore} and puts them into the {@link AnnotationStore} marked as pseudo-labelled. Each
 * pixel keeps the teacher's confidence (top softmax probability); pixels below {@code
 * confidenceThreshold} are left unlabelled ({@link TrainingSample#IGNORE}), so that a student
 * fine-tuned on them learns only what the teacher is sure of.
 *
 * <p>It runs on one low-priority thread with its own libtorch thread count, at most {@code
 * maxPerMinute} frames a minute, never while frames wait for inference or while a fine-tune trains:
 * the serving model keeps its rate and the teacher uses the headroom.
 */
public final class AutoLabeller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoLabeller.class);

    /** A frame's pseudo-label at camera size. */
    public record PseudoLabel(Image annotation, Image confidence, double ignoredShare) {}

    private final FineTuneOptions.Teacher options;
    private final ServedModel teacher;
    private final int[] datasetIds;
    private final UnlabelledStore pool;
    private final AnnotationStore store;
    private final IntSupplier inferenceWaiting;
    private final BooleanSupplier fineTuneRunning;
    private final NodeMetrics metrics;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long labelled;
    private volatile long failed;

    /**
     * @param options the {@code training.teacher} block
     * @param teacher the teacher model (one reference, released on close)
     * @param student the served model's config: its dataset ids are what the store holds
     * @param pool the frames to label
     * @param store where labelled frames go
     * @param inferenceWaiting frames waiting for inference (the teacher waits while not zero)
     * @param fineTuneRunning whether a fine-tune trains now (the teacher waits)
     * @param metrics counters
     */
    public AutoLabeller(
            FineTuneOptions.Teacher options,
            ServedModel teacher,
            PaperConfig student,
            UnlabelledStore pool,
            AnnotationStore store,
            IntSupplier inferenceWaiting,
            BooleanSupplier fineTuneRunning,
            NodeMetrics metrics) {
        this.options = options;
        this.teacher = teacher;
        this.datasetIds = datasetIds(teacher.classes().names(), student);
        this.pool = pool;
        this.store = store;
        this.inferenceWaiting = inferenceWaiting;
        this.fineTuneRunning = fineTuneRunning;
        this.metrics = metrics;
        this.thread = new Thread(this::loop, "fusion-teacher");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    /** Starts labelling in the background. */
    public AutoLabeller start() {
        thread.start();
        return this;
    }

    /**
     * The student's dataset id of each teacher class: the first id the student's config maps to the
     * train class of the same name; a class the student does not have becomes its background.
     */
    public static int[] datasetIds(List<String> teacherClasses, PaperConfig student) {
        int[] relabel = student.relabelTable();
        List<String> names = student.classNames();
        int[] out = new int[teacherClasses.size()];
        for (int t = 0; t < out.length; t++) {
            int c = Math.max(0, names.indexOf(teacherClasses.get(t)));
            int id = 0;
            for (int d = 0; d < relabel.length && d < TrainingSample.IGNORE; d++) {
                if (relabel[d] == c) {
                    id = d;
                    break;
                }
            }
            out[t] = id;
        }
        return out;
    }

    /**
     * Labels one frame with {@code predictor}.
     *
     * @param datasetIds dataset id of each of the teacher's classes
     * @param threshold confidence below which a pixel is left unlabelled
     */
    public static PseudoLabel label(
            Predictor<ClftSample, SegmentationOutput> predictor,
            ServedModel teacher,
            Image camera,
            Optional<Image> lidar,
            int[] datasetIds,
            double threshold)
            throws TranslateException {
        ClftSample sample = teacher.preprocessor().sample(camera, lidar);
        SegmentationOutput out = predictor.predict(sample);
        int s = out.size();
        byte[] ids = new byte[s * s];
        int limit = SegmentationOutput.confidenceLimit(threshold);
        long ignored = 0;
        for (int i = 0; i < ids.length; i++) {
            if ((out.confidence()[i] & 0xFF) < limit) {
                ids[i] = (byte) TrainingSample.IGNORE;
                ignored++;
            } else {
                ids[i] = (byte) datasetIds[out.mask()[i] & 0xFF];
            }
        }
        return new PseudoLabel(
                MaskResize.nearest(ids, s, camera.width(), camera.height()),
                MaskResize.nearest(out.confidence(), s, camera.width(), camera.height()),
                (double) ignored / ids.length);
    }

    private void loop() {
        JniUtils.setGradMode(false);
        TorchThreadGovernor governor =
                new TorchThreadGovernor(
                        Runtime.getRuntime().availableProcessors(), options.threads());
        long gapNanos = 60_000_000_000L / options.maxPerMinute();
        long next = System.nanoTime();
        try (Predictor<ClftSample, SegmentationOutput> predictor =
                teacher.model().newPredictor(false)) {
            while (running) {
                Optional<UnlabelledStore.Entry> e = pool.oldest(UnlabelledStore.SAMPLED);
                if (e.isEmpty()
                        || fineTuneRunning.getAsBoolean()
                        || inferenceWaiting.getAsInt() > 0
                        || System.nanoTime() < next) {
                    Thread.sleep(e.isEmpty() ? 200 : 5);
                    continue;
                }
                next = System.nanoTime() + gapNanos;
                governor.beforeForward();
                labelOne(predictor, e.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("the teacher stopped: {}", e.toString(), e);
        }
    }

    private void labelOne(
            Predictor<ClftSample, SegmentationOutput> predictor, UnlabelledStore.Entry e) {
        try {
            Image camera = e.cameraImage();
            Optional<Image> lidar = e.lidarImage();
            PseudoLabel p =
                    label(
                            predictor,
                            teacher,
                            camera,
                            lidar,
                            datasetIds,
                            options.confidenceThreshold());
            long id = store.addPseudo(camera, lidar, p.annotation(), p.confidence());
            pool.remove(e.id());
            labelled++;
            metrics.learningFrame("pseudo_labelled");
            LOG.debug(
                    "teacher labelled frame {} as {} ({} of its pixels left unlabelled)",
                    e.id(),
                    id,
                    String.format(Locale.ROOT, "%.1f %%", 100 * p.ignoredShare()));
        } catch (TranslateException | RuntimeException ex) {
            failed++;
            metrics.learningFrame("teacher_failed");
            LOG.warn("the teacher could not label frame {}: {}", e.id(), ex.toString());
            pool.remove(e.id()); // a frame that fails once fails again; do not loop on it
        }
    }

    /** Frames labelled since start. */
    public long labelled() {
        return labelled;
    }

    /** Status: frames labelled, failed, waiting. */
    public JsonObject statusJson() {
        return new JsonObject()
                .put("model", teacher.model().version())
                .put("labelled", labelled)
                .put("failed", failed)
                .put("waiting", pool.size(UnlabelledStore.SAMPLED))
                .put("confidenceThreshold", options.confidenceThreshold());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        teacher.release();
    }
}

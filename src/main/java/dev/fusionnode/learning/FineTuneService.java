package dev.fusionnode.learning;

import ai.djl.Device;
import dev.fusionnode.inference.InferenceOptions;
import dev.fusionnode.inference.InputPreprocessor;
import dev.fusionnode.inference.ModelClasses;
import dev.fusionnode.inference.ModelLoader;
import dev.fusionnode.inference.ServedModel;
import dev.fusionnode.inference.ServingControl;
import dev.fusionnode.learning.store.AnnotationStore;
import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.model.ClftMode;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.model.config.PaperPaths;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.training.ModelEvaluation;
import dev.fusionnode.training.SegmentationScores;
import dev.fusionnode.training.TrainingOptions;
import dev.fusionnode.training.TrainingRun;
import dev.fusionnode.training.TrainingSample;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-vehicle transfer learning: fine-tune jobs on the annotated-frame store, started and watched
 * through the HTTP API, one at a time on a low-priority thread that yields to inference between
 * batches. A job starts from the model in service, trains with the paper's loss and optimiser, then
 * evaluates the new and the serving weights on the same validation split: the new model goes into
 * service (atomic swap, no frame lost) only if its mIoU is higher, else it is kept as a candidate.
 * Every version is kept in the {@link ModelRegistry} for activation and rollback.
 */
public final class FineTuneService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FineTuneService.class);

    /** Default loss weight of a pseudo-labelled frame (a human-labelled frame weighs 1). */
    public static final float DEFAULT_PSEUDO_WEIGHT = 0.5f;

    private final FineTuneOptions options;
    private final PaperConfig config;
    private static final Duration YIELD_AT_MOST = Duration.ofMillis(500);

    private final ServingControl inference;
    private final Vertx vertx;
    private final AnnotationStore store;
    private final UnlabelledStore unlabelled;

    /** Why the configured model serves. */
    static final String CONFIGURED = "the configured model (inference.model)";

    private final ModelRegistry registry;
    private final WorkFolders workFolders;
    private String served; // the version restored at start, if one was
    private AutoLabeller teacher;
    private volatile boolean training;
    private final StartingMasks masks;
    private final Map<String, FineTuneJob> jobs = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final ExecutorService runner =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "fusion-finetune");
                        t.setDaemon(true);
                        t.setPriority(Thread.MIN_PRIORITY);
                        return t;
                    });

    /**
     * @param options the {@code training} block
     * @param config the paper config of the model in service (classes, weights, normalisation)
     * @param inference the inference stage (the model in service, swaps)
     * @param vertx for progress events
     */
    public FineTuneService(
            FineTuneOptions options, PaperConfig config, ServingControl inference, Vertx vertx) {
        this.options = options;
        this.config = config;
        this.inference = inference;
        this.vertx = vertx;
        this.store = AnnotationStore.open(options.storeDir(), options.maxStoreBytes());
        this.unlabelled =
                UnlabelledStore.open(options.unlabelledDir(), options.maxUnlabelledBytes());
        this.registry = ModelRegistry.open(options.registryDir());
        this.workFolders = new WorkFolders(options.workDir(), options.keepJobRuns());
        this.masks = new StartingMasks(inference, config);
        restoreServing(registerConfigured());
        pruneVersions();
        workFolders.prune();
    }

    /** Keeps the configured model as a version (to roll back to); returns its name. */
    private String registerConfigured() {
        ServedModel m = inference.acquire();
        try {
            String v = m.model().version();
            if (registry.find(v).isEmpty()) {
                Path tmp = options.registryDir().resolve(v + ".pth.new");
                m.model().save(tmp, 0, 0, config.classNames());
                registry.register(v, tmp, m.provenance(), Double.NaN);
                deleteQuietly(tmp);
            }
            return v;
        } finally {
            m.release();
        }
    }

    /**
     * After a restart with the configuration of the last start, puts back the version that was in
     * service (a promoted fine-tune or an activation survives a restart or a crash) unless {@code
     * training.restoreServedModel} is off; with a changed configuration, or when the kept version
     * no longer loads, the configured model serves.
     */
    private void restoreServing(String configured) {
        Optional<String> kept = registry.serving();
        if (kept.isPresent()
                && !kept.get().equals(configured)
                && registry.configured().filter(configured::equals).isPresent()
                && registry.find(kept.get()).isPresent()) {
            if (!options.restoreServedModel()) {
                LOG.info(
                        "serving the configured model {} (training.restoreServedModel is false);"
                                + " {}, in service before the restart, stays kept in {}",
                        configured,
                        kept.get(),
                        options.registryDir());
                registry.serving(configured, CONFIGURED);
                return;
            }
            try {
                load(kept.get());
                served = kept.get();
                LOG.warn(
                        "serving {} instead of the configured model {}: {} ({}), restored from {}."
                                + " Roll back with POST /api/models/activate {\"version\": \"{}\"},"
                                + " or pin the configured model with training.restoreServedModel"
                                + " false",
                        kept.get(),
                        configured,
                        registry.servingReason().orElse("in service before the restart"),
                        registry.servingSince().map(t -> "since " + t).orElse("since unknown"),
                        options.registryDir(),
                        configured);
                return;
            } catch (RuntimeException e) {
                LOG.error(
                        "the kept version {} cannot be loaded; serving the configured model {}"
                                + " instead",
                        kept.get(),
                        configured,
                        e);
            }
        }
        registry.configured(configured);
        registry.serving(configured, CONFIGURED);
    }

    /**
     * Which model serves and why: the version, the configured one, the reason, since when, and how
     * to go back to the configured model ({@code /api/status} section {@code training}).
     */
    public JsonObject servedModelJson() {
        String configured = registry.configured().orElse(null);
        String version = registry.serving().orElse(configured);
        JsonObject out =
                new JsonObject()
                        .put("version", version)
                        .put("configured", configured)
                        .put("because", registry.servingReason().orElse(CONFIGURED))
                        .put("since", registry.servingSince().orElse(null))
                        .put("restored", served != null && served.equals(version));
        if (version != null && !version.equals(configured)) {
            out.put(
                    "rollback",
                    "POST /api/models/activate {\"version\": \""
                            + configured
                            + "\"}, or start with training.restoreServedModel false");
        }
        return out;
    }

    /**
     * Starts the teacher of {@code training.teacher} (when enabled): it labels the frames sampled
     * into the unlabelled store while inference and fine-tunes leave room.
     *
     * @param metrics learning-loop counters
     */
    public synchronized void startTeacher(NodeMetrics metrics) {
        FineTuneOptions.Teacher t = options.teacher();
        if (!t.enabled() || teacher != null) {
            return;
        }
        ServedModel model =
                ModelLoader.load(InferenceOptions.single(t.model(), "cpu", t.threads()));
        teacher =
                new AutoLabeller(
                                t,
                                model,
                                config,
                                unlabelled,
                                store,
                                inference::backlog,
                                () -> training,
                                metrics)
                        .start();
        LOG.info(
                "teacher {} ({}) labels sampled frames; pixels under {} confidence stay unlabelled",
                model.model().version(),
                model.provenance(),
                t.confidenceThreshold());
    }

    /** The teacher, when one runs. */
    public synchronized Optional<AutoLabeller> teacher() {
        return Optional.ofNullable(teacher);
    }

    /** Frames kept without a label (hard frames, frames sampled for the teacher). */
    public UnlabelledStore unlabelled() {
        return unlabelled;
    }

    /** The annotated-frame store. */
    public AnnotationStore store() {
        return store;
    }

    /** Starting masks for the person annotating a kept frame, and the classes to annotate with. */
    public StartingMasks startingMasks() {
        return masks;
    }

    /** The kept model versions. */
    public ModelRegistry registry() {
        return registry;
    }

    /** A job by id. */
    public synchronized Optional<FineTuneJob> job(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** All jobs, oldest first. */
    public synchronized List<FineTuneJob> jobs() {
        return List.copyOf(jobs.values());
    }

    /** The parameters of a job started with an empty body: the configured defaults. */
    public JsonObject defaultParameters() {
        return FineTuneRequest.parse(new JsonObject(), options, config.classNames()).toJson();
    }

    /**
     * Queues a job. Parameters (all optional): {@code epochs}, {@code lr}, {@code batchSize},
     * {@code augment}, {@code seed}, {@code loss}, {@code gamma}, {@code diceWeight}, {@code mode},
     * {@code classWeights} ({@code "auto"} by default: inverse pixel frequency in the store, capped
     * at {@code classWeightCap}; {@code "config"}; or one number per class), {@code humanWeight}
     * and {@code pseudoWeight} (loss weights of human- and teacher-labelled frames).
     *
     * @throws IllegalArgumentException for an invalid parameter or too few annotated frames
     */
    public synchronized FineTuneJob start(JsonObject params) {
        long unfinished = jobs.values().stream().filter(j -> !j.done()).count();
        if (unfinished >= MAX_UNFINISHED_JOBS) {
            throw new JobsFullException(
                    unfinished
                            + " fine-tunes are running or waiting (at most "
                            + MAX_UNFINISHED_JOBS
                            + "): start this one when one has ended");
        }
        FineTuneRequest request = FineTuneRequest.parse(params, options, config.classNames());
        int batch = request.batchSize();
        int frames = store.writeSplits();
        if (frames < batch + 1) {
            throw new IllegalArgumentException(
                    "a fine-tune needs at least "
                            + (batch + 1)
                            + " annotated frames (one batch and one for validation); the store has "
                            + frames);
        }
        String id =
                "ft" + ids.incrementAndGet() + "-" + Long.toString(System.currentTimeMillis(), 36);
        JsonObject p = request.toJson().put("frames", frames);
        FineTuneJob job = new FineTuneJob(id, request, p);
        jobs.put(id, job);
        runner.submit(() -> run(job));
        return job;
    }

    /**
     * The paper's specialist training (clft-spec §3.10) on the store: the config with the first
     * class (background) plus {@code classes}, every other dataset id mapped to background, each
     * class keeping its mapping, weight and colour.
     */
    public static PaperConfig specialistConfig(PaperConfig cfg, List<String> classes) {
        JsonObject json = cfg.json();
        JsonArray train = json.getJsonObject("Dataset").getJsonArray("train_classes");
        JsonObject background = train.getJsonObject(0).copy();
        JsonArray bgIds = background.getJsonArray("dataset_mapping").copy();
        JsonArray out = new JsonArray();
        for (int i = 1; i < train.size(); i++) {
            JsonObject c = train.getJsonObject(i);
            if (!classes.contains(c.getString("name"))) {
                c.getJsonArray("dataset_mapping").forEach(bgIds::add);
            }
        }
        out.add(background.put("index", 0).put("dataset_mapping", bgIds));
        for (String name : classes) {
            for (int i = 1; i < train.size(); i++) {
                JsonObject c = train.getJsonObject(i);
                if (c.getString("name").equals(name)) {
                    out.add(c.copy().put("index", out.size()));
                }
            }
        }
        json.getJsonObject("Dataset").put("train_classes", out);
        return PaperConfig.fromJson(json, cfg.source());
    }

    /** The shortest side of an annotated frame (the smallest CLFT input is 64 pixels). */
    public static final int MIN_FRAME_SIDE = 64;

    /**
     * Checks an annotated frame before it is stored, so that the store holds only frames a
     * fine-tune can use: images that fit together ({@link AnnotationStore#checkFrame}), the camera
     * at least {@link #MIN_FRAME_SIDE} a side, the LiDAR image present when the served model's mode
     * reads it, and every annotation pixel one of the dataset's class ids or {@link
     * TrainingSample#IGNORE}.
     *
     * @throws BadInputException naming the problem (and the first bad pixel)
     */
    public void checkAnnotated(
            Image camera, Optional<Image> lidar, Image annotation, String source) {
        AnnotationStore.checkFrame(camera, lidar, annotation);
        if (camera.width() < MIN_FRAME_SIDE || camera.height() < MIN_FRAME_SIDE) {
            throw new BadInputException(
                    BadInputReason.INCONSISTENT_FRAME,
                    source,
                    "the camera image is "
                            + camera.width()
                            + "x"
                            + camera.height()
                            + "; annotated frames are at least "
                            + MIN_FRAME_SIDE
                            + " pixels a side");
        }
        ClftMode mode = config.modelSpec().mode();
        if (lidar.isEmpty() && mode != ClftMode.RGB) {
            throw new BadInputException(
                    BadInputReason.INCONSISTENT_FRAME,
                    source,
                    "the served model ("
                            + mode.id()
                            + ") trains on the LiDAR image too: 'lidar' (the CLFT LiDAR PNG) is"
                            + " required");
        }
        boolean[] known = new boolean[256];
        known[TrainingSample.IGNORE] = true;
        config.dataset().datasetClasses().forEach(c -> known[c.index()] = true);
        ByteBuffer px = annotation.pixels();
        for (int i = 0; i < px.capacity(); i++) {
            int v = px.get(i) & 0xFF;
            if (!known[v]) {
                throw new BadInputException(
                        BadInputReason.INCONSISTENT_FRAME,
                        source,
                        "annotation pixel ("
                                + (i % annotation.width())
                                + ", "
                                + (i / annotation.width())
                                + ") has class id "
                                + v
                                + ", which the dataset does not define (its ids: "
                                + config.dataset().datasetClasses().stream()
                                        .map(c -> Integer.toString(c.index()))
                                        .toList()
                                + ", and "
                                + TrainingSample.IGNORE
                                + " for unlabelled)");
            }
        }
    }

    /** Fine-tunes running or waiting at most: one trains, one waits; more are refused. */
    public static final int MAX_UNFINISHED_JOBS = 2;

    /** A fine-tune refused because {@link #MAX_UNFINISHED_JOBS} are running or waiting. */
    public static final class JobsFullException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        JobsFullException(String message) {
            super(message);
        }
    }

    private void run(FineTuneJob job) {
        FineTuneRequest p = job.request();
        Path workDir = workFolders.of(job.id());
        Path base = workDir.resolve("base.pth");
        training = true;
        try {
            job.state(FineTuneJob.State.TRAINING);
            String baseVersion;
            ServedModel serving = inference.acquire();
            try {
                baseVersion = serving.model().version();
                Files.createDirectories(workDir);
                serving.model().save(base, 0, 0, config.classNames());
            } finally {
                serving.release();
            }
            List<String> specialist = p.specialist();
            PaperConfig cfg = storeConfig(workDir.resolve("logs"));
            if (!specialist.isEmpty()) {
                cfg = specialistConfig(cfg, specialist);
            }
            PaperPaths paths = PaperPaths.of(cfg, Path.of(""));
            TrainingOptions to = p.trainingOptions(cfg, base);
            TrainingRun.Result result;
            try (ClftModel trainee =
                    specialist.isEmpty()
                            ? ClftModel.load(cfg.modelSpec(), base, Device.cpu())
                            : ClftModel.loadTransfer(
                                    cfg.modelSpec(),
                                    base,
                                    Device.cpu(),
                                    cfg.classNames(),
                                    m -> LOG.info("specialist {}: {}", job.id(), m))) {
                result =
                        new TrainingRun(cfg, paths, to, trainee)
                                .run(
                                        pr -> {
                                            if (job.cancelRequested()) {
                                                throw new CancellationException("cancelled");
                                            }
                                            job.progress(pr.epoch(), pr.loss());
                                            publish(job);
                                            yieldToInference();
                                        },
                                        log -> {
                                            JsonObject results = log.getJsonObject("results");
                                            job.validation(
                                                    log.getInteger("epoch"),
                                                    results.getJsonObject("val"),
                                                    results.getJsonObject("train")
                                                            .getDouble("loss", Double.NaN));
                                            publish(job);
                                        });
            }
            job.state(FineTuneJob.State.EVALUATING);
            publish(job);
            if (!specialist.isEmpty()) {
                if (!job.commit()) {
                    throw new CancellationException("cancelled while evaluating");
                }
                keepSpecialist(job, cfg, specialist, result, baseVersion, job.frames());
                return;
            }
            double before;
            double after;
            try (ClftModel old = ClftModel.load(cfg.modelSpec(), base, Device.cpu());
                    ClftModel neu =
                            ClftModel.load(
                                    cfg.modelSpec(), result.bestCheckpoint(), Device.cpu())) {
                before = ModelEvaluation.validate(old, cfg, paths, to.batchSize()).meanIou();
                after = ModelEvaluation.validate(neu, cfg, paths, to.batchSize()).meanIou();
            }
            String version = job.id() + "@epoch" + result.bestEpoch();
            boolean better = after > before;
            if (!job.commit()) {
                throw new CancellationException("cancelled while evaluating");
            }
            registry.register(
                    version,
                    result.bestCheckpoint(),
                    "fine-tune "
                            + job.id()
                            + " of "
                            + baseVersion
                            + " on "
                            + job.frames()
                            + " frames",
                    after);
            JsonObject outcome =
                    new JsonObject()
                            .put("version", version)
                            .put("baseVersion", baseVersion)
                            .put("validationMiouBefore", before)
                            .put("validationMiouAfter", after)
                            .put("steps", result.steps())
                            .put("skippedSteps", result.skippedSteps())
                            .put("promoted", better);
            if (better) {
                activate(
                        version,
                        String.format(
                                Locale.ROOT,
                                "promoted by fine-tune %s (validation mIoU %.4f -> %.4f)",
                                job.id(),
                                before,
                                after));
            }
            job.finish(better ? FineTuneJob.State.PROMOTED : FineTuneJob.State.CANDIDATE, outcome);
            LOG.info(
                    "fine-tune {} finished: validation mIoU {} -> {}; {}",
                    job.id(),
                    String.format(Locale.ROOT, "%.4f", before),
                    String.format(Locale.ROOT, "%.4f", after),
                    better ? version + " is now in service" : "kept as candidate " + version);
        } catch (CancellationException e) {
            job.finish(FineTuneJob.State.CANCELLED, new JsonObject());
            LOG.info("fine-tune {} cancelled", job.id());
        } catch (RuntimeException | IOException e) {
            job.fail(e.toString());
            LOG.error("fine-tune {} failed (inference is unaffected)", job.id(), e);
        } finally {
            training = false;
            deleteQuietly(base);
            tidyAfter(job);
            publish(job);
        }
    }

    /**
     * Bounds the disk of fine-tuning once a job has ended: its checkpoints, old runs, old versions.
     */
    private void tidyAfter(FineTuneJob job) {
        try {
            workFolders
                    .finished(job.id())
                    .forEach(
                            d ->
                                    LOG.info(
                                            "fine-tune work folder {} deleted: {} runs are kept"
                                                    + " (training.keepJobRuns)",
                                            d,
                                            options.keepJobRuns()));
            pruneVersions();
        } catch (RuntimeException e) {
            LOG.warn("fine-tune {}: tidying its files failed: {}", job.id(), e.getMessage());
        }
    }

    /**
     * Keeps at most {@code training.keepVersions} versions (never the served or configured one).
     */
    private synchronized void pruneVersions() {
        for (ModelRegistry.Entry e : registry.prune(options.keepVersions())) {
            LOG.info(
                    "model version {} deleted: {} versions are kept (training.keepVersions)",
                    e.version(),
                    options.keepVersions());
        }
    }

    /**
     * A specialist is kept as a candidate version (with its own classes it cannot replace the
     * served model; it is a member for an ensemble or a teacher) with its validation scores.
     */
    private void keepSpecialist(
            FineTuneJob job,
            PaperConfig cfg,
            List<String> classes,
            TrainingRun.Result result,
            String baseVersion,
            int frames) {
        SegmentationScores val = result.bestValidation();
        String version =
                job.id()
                        + "-specialist-"
                        + String.join("+", classes)
                        + "@epoch"
                        + result.bestEpoch();
        registry.register(
                version,
                result.bestCheckpoint(),
                "specialist "
                        + cfg.classNames()
                        + " fine-tuned by "
                        + job.id()
                        + " from "
                        + baseVersion
                        + " on "
                        + frames
                        + " frames",
                val.meanIou());
        Path specialistConfig = options.registryDir().resolve(version + ".json");
        try {
            Files.writeString(specialistConfig, cfg.json().encodePrettily());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the specialist's config " + specialistConfig, e);
        }
        JsonObject perClass = new JsonObject();
        for (var c : val.classes()) {
            perClass.put(c.name(), c.iou());
        }
        job.finish(
                FineTuneJob.State.CANDIDATE,
                new JsonObject()
                        .put("version", version)
                        .put("baseVersion", baseVersion)
                        .put("classes", new JsonArray(cfg.classNames()))
                        .put("config", specialistConfig.toString())
                        .put("validationMiouAfter", val.meanIou())
                        .put("validationIou", perClass)
                        .put("promoted", false));
        LOG.info(
                "specialist {} {} kept as {} (validation mIoU {})",
                job.id(),
                cfg.classNames(),
                version,
                String.format(Locale.ROOT, "%.4f", val.meanIou()));
    }

    /** While frames wait for inference, the fine-tune waits (at most half a second per batch). */
    private void yieldToInference() {
        try {
            inference.awaitNoBacklog(YIELD_AT_MOST);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }

    private void publish(FineTuneJob job) {
        vertx.eventBus().publish(Addresses.TRAINING_PROGRESS, job.toJson());
    }

    /**
     * Puts a kept version into service (activation and rollback).
     *
     * @throws IllegalArgumentException for an unknown version
     */
    public synchronized void activate(String version, String reason) {
        load(version);
        registry.serving(version, reason);
    }

    private void load(String version) {
        ModelRegistry.Entry e =
                registry.find(version)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "no kept model version '" + version + "'"));
        ClftModel model = ClftModel.load(config.modelSpec(), e.checkpoint(), Device.cpu());
        ClftModel named = model.withVersion(version);
        ServedModel next =
                new ServedModel(
                        named,
                        InputPreprocessor.of(config.modelSpec(), config),
                        new ModelClasses(config.classNames(), config.classColors()),
                        e.source() + ", checkpoint " + e.checkpoint());
        inference.swap(next);
    }

    /** The config with the store as its dataset and {@code logdir} as its log folder. */
    private PaperConfig storeConfig(Path logdir) {
        JsonObject json = config.withDataDir(store.root()).withLogDir(logdir).json();
        JsonObject ds = json.getJsonObject("Dataset");
        ds.put("name", "zod"); // the store's layout, whatever the served model's dataset
        ds.put("annotation_path", AnnotationStore.ANNOTATION);
        return PaperConfig.fromJson(json, config.source());
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // only disk
        }
    }

    @Override
    public void close() {
        jobs().forEach(FineTuneJob::cancel);
        runner.shutdownNow();
        AutoLabeller t = teacher().orElse(null);
        if (t != null) {
            t.close();
        }
    }

    /** The {@code training} section of {@code /api/status}. */
    public JsonObject statusJson() {
        return new JsonObject()
                .put("storeFrames", store().size())
                .put("pseudoLabelled", store().pseudoLabelled())
                .put("hardFrames", unlabelled().size(UnlabelledStore.HARD))
                .put("sampledFrames", unlabelled().size(UnlabelledStore.SAMPLED))
                .put("teacher", teacher().map(AutoLabeller::statusJson).orElse(null))
                .put("storeBytes", store().bytes())
                .put("jobs", jobs().size())
                .put("serving", registry().serving().orElse(null))
                .put("servedModel", servedModelJson());
    }
}

package dev.fusionnode.node;

import dev.fusionnode.bridge.BridgeSourceVerticle;
import dev.fusionnode.bridge.RosFrameIds;
import dev.fusionnode.capture.CameraCaptureVerticle;
import dev.fusionnode.cluster.ClusterForwarderVerticle;
import dev.fusionnode.cluster.ClusterOptions;
import dev.fusionnode.cluster.ClusterWorkerVerticle;
import dev.fusionnode.cluster.HazelcastClusters;
import dev.fusionnode.http.HttpServerVerticle;
import dev.fusionnode.inference.BatchPolicy;
import dev.fusionnode.inference.InferenceOptions;
import dev.fusionnode.inference.InferenceVerticle;
import dev.fusionnode.inference.ModelLoader;
import dev.fusionnode.ingest.PushIngestVerticle;
import dev.fusionnode.learning.FineTuneService;
import dev.fusionnode.learning.ReplayAnnotationCollector;
import dev.fusionnode.learning.TrainingCommands;
import dev.fusionnode.learning.UnlabelledFrameCollector;
import dev.fusionnode.metrics.MicrometerBasedNodeMetrics;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.Codecs;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.FrameTrackerVerticle;
import dev.fusionnode.pipeline.ImageDemand;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.SensorWatchVerticle;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.pipeline.SyncedFrame;
import dev.fusionnode.projection.ProjectionVerticle;
import dev.fusionnode.publish.FrameEncoderVerticle;
import dev.fusionnode.publish.bridge.BridgeMaskPublisher;
import dev.fusionnode.publish.foxglove.FoxgloveStage;
import dev.fusionnode.publish.mqtt.MqttPublisherVerticle;
import dev.fusionnode.record.RecorderVerticle;
import dev.fusionnode.replay.ReplayOptions;
import dev.fusionnode.replay.ReplayPlaylist;
import dev.fusionnode.replay.ReplayVerticle;
import dev.fusionnode.sync.SyncVerticle;
import dev.fusionnode.velodyne.VelodyneSourceVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.DefaultChannelId;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * A running node: one Vert.x instance with the pipeline's verticles deployed in flow order
 * (terminal stage first, source last, so that every consumer exists before frames flow), Prometheus
 * metrics and the HTTP base.
 */
public final class NodeRuntime implements AutoCloseable {
    /** Name of the shared pool for blocking stage work (projection). */
    public static final String BLOCKING_POOL = "fusion-blocking";

    /**
     * Name of the replay's pool for reading drives ahead: apart from {@link #BLOCKING_POOL}, so
     * that reading the next frame never holds up the projection of the frame just sent.
     */
    public static final String REPLAY_POOL = "fusion-replay";

    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;
    private final NodeMetrics metrics;
    private final StatusRegistry status;
    private final RosFrameIds rosFrameIds = new RosFrameIds();
    private final ImageDemand imageDemand = new ImageDemand();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicLong camerasIn = new AtomicLong();
    private CreditStage credits;
    private Future<Void> stopping;
    private final Set<String> sources = ConcurrentHashMap.newKeySet();

    /** Longest wait on stop for delivered frames to finish. */
    public static final long DRAIN_MS = 10_000;

    private SensorWatchVerticle sensors;
    private final Deque<String> deployments = new ConcurrentLinkedDeque<>();
    private HttpServerVerticle http;
    private InferenceVerticle inference;
    private MqttPublisherVerticle mqtt;
    private VelodyneSourceVerticle velodyne;
    private RecorderVerticle recorder;
    private FineTuneService training;

    static {
        // Netty's first channel id reads the network interfaces (a one-time cost of 100+ ms): pay
        // it on the thread that starts the node, not on the event loop's first bind
        DefaultChannelId.newInstance();
    }

    private NodeRuntime(NodeOptions options) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        VertxOptions vo =
                new VertxOptions()
                        .setEventLoopPoolSize(1)
                        .setWorkerPoolSize(Math.max(2, options.pipeline().blockingThreads()))
                        .setMaxEventLoopExecuteTime(options.health().blockedThreadWarnMs())
                        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                        .setWarningExceptionTime(options.health().blockedThreadWarnMs())
                        .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
                        .setBlockedThreadCheckInterval(
                                Math.min(1_000, options.health().blockedThreadWarnMs()))
                        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
        if (options.cluster().enabled()) {
            vo.getEventBusOptions()
                    .setHost(options.cluster().host())
                    .setClusterPublicHost(options.cluster().host())
                    .setPort(0);
            try {
                this.vertx =
                        Vertx.builder()
                                .with(vo)
                                .withMetrics(new MicrometerMetricsFactory(registry))
                                .withClusterManager(
                                        HazelcastClusters.clusterManager(options.cluster()))
                                .buildClustered()
                                .await(120, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException(
                        "could not join the cluster '"
                                + options.cluster().name()
                                + "' on "
                                + options.cluster().host()
                                + " within 120 s",
                        e);
            }
        } else {
            this.vertx =
                    Vertx.builder()
                            .with(vo)
                            .withMetrics(new MicrometerMetricsFactory(registry))
                            .build();
        }
        this.metrics = new MicrometerBasedNodeMetrics(registry);
        this.status = new StatusRegistry();
    }

    /**
     * Starts a node.
     *
     * @param options the configuration
     * @param withTracker deploy the default terminal stage (tests may deploy their own consumer
     *     instead)
     * @return the running node, once every stage has started
     */
    public static Future<NodeRuntime> start(NodeOptions options, boolean withTracker) {
        NodeRuntime rt = new NodeRuntime(options);
        Codecs.register(rt.vertx, SyncedFrame.class);
        rt.vertx.eventBus().localConsumer(Addresses.CAMERA, m -> rt.camerasIn.incrementAndGet());
        List<Step> topology;
        try {
            topology = rt.topology(options, withTracker);
        } catch (RuntimeException e) {
            return rt.vertx.close().transform(v -> Future.failedFuture(e));
        }
        if (options.inference().enabled()) {
            limitTorchThreads(options.inference());
            warnIfAnInstantCannotFit(options);
        }
        Future<?> chain = Future.succeededFuture();
        for (Step step : topology) {
            chain = chain.compose(v -> step.start().get());
        }
        Promise<NodeRuntime> started = Promise.promise();
        chain.onComplete(
                ar -> {
                    if (ar.succeeded()) {
                        rt.ready.set(true);
                        started.complete(rt);
                        return;
                    }
                    // fail only once Vert.x is closed (ports and threads released); the promise
                    // has no context, so its listeners do not need the event loops that the close
                    // stops
                    rt.vertx.close().onComplete(closed -> started.fail(ar.cause()));
                });
        return started.future();
    }

    /**
     * One full collection once the stages are up and before the sources: what loading and warming
     * the model left live moves to the old generation at once, so that the young collections while
     * frames flow copy frames only, not start-up's objects again at every collection until they age
     * out (pauses of 10-25 ms in the first minutes otherwise).
     */
    private Future<Void> settleHeap() {
        return vertx.executeBlocking(
                () -> {
                    long t0 = System.nanoTime();
                    System.gc();
                    Runtime r = Runtime.getRuntime();
                    LoggerFactory.getLogger(NodeRuntime.class)
                            .info(
                                    "heap settled before the sources start: {} MB live, {} ms",
                                    (r.totalMemory() - r.freeMemory()) >> 20,
                                    (System.nanoTime() - t0) / 1_000_000);
                    return null;
                });
    }

    /** One step of starting a node: a stage, a source or a service, started in list order. */
    private record Step(String name, Supplier<Future<?>> start) {}

    private Step stage(String name, Supplier<Deployable> create) {
        return new Step(name, () -> deploy(create.get()));
    }

    private Step source(String name, Supplier<Deployable> create) {
        return new Step(name, () -> deploySource(create.get()));
    }

    /**
     * The stages a node of this configuration runs, in start order: the end of the frame path first
     * (credits, outputs, publishers), then inference, projection and sync, the learning loop, the
     * recorder, the HTTP server, and the sources last, so that no frame enters before the stage
     * that takes it is up. An ingest node of a cluster runs no model: it forwards fused frames.
     */
    private List<Step> topology(NodeOptions options, boolean withTracker) {
        Optional<ReplayPlaylist> playlist =
                options.replay().enabled()
                        ? Optional.of(
                                ReplayPlaylist.load(options.replay().playlist().orElseThrow()))
                        : Optional.empty();
        boolean ingest =
                options.cluster().enabled()
                        && options.cluster().role() == ClusterOptions.Role.INGEST;
        boolean worker = options.cluster().enabled() && !ingest;
        boolean infer = options.inference().enabled() && !ingest; // an ingest node infers remotely
        boolean lossless =
                options.replay().enabled()
                        && options.replay().mode() == ReplayOptions.DeliveryMode.LOSSLESS;
        List<Step> steps = new ArrayList<>();
        steps.add(stage("credits", () -> credits = new CreditStage(metrics, status)));
        if (withTracker) {
            steps.add(
                    stage(
                            "output",
                            () ->
                                    new FrameTrackerVerticle(
                                            metrics, status, infer || ingest, !infer && !ingest)));
        }
        if (infer && options.mqtt().enabled()) {
            steps.add(
                    stage(
                            "mqtt",
                            () ->
                                    mqtt =
                                            new MqttPublisherVerticle(
                                                    options.mqtt(),
                                                    options.vehicleId(),
                                                    () ->
                                                            inference()
                                                                    .flatMap(
                                                                            InferenceVerticle
                                                                                    ::served),
                                                    metrics,
                                                    status,
                                                    imageDemand)));
        }
        if (infer) {
            steps.add(
                    stage(
                            "encoder",
                            () ->
                                    new FrameEncoderVerticle(
                                            () -> inference.current().classes(),
                                            imageDemand,
                                            metrics,
                                            status,
                                            2,
                                            lossless,
                                            withTracker)));
            steps.add(
                    stage(
                            "inference",
                            () ->
                                    inference =
                                            new InferenceVerticle(
                                                    options.inference(),
                                                    () -> ModelLoader.load(options.inference()),
                                                    metrics,
                                                    status)));
        }
        steps.add(
                stage(
                        "projection",
                        () ->
                                new ProjectionVerticle(
                                        options.projection(),
                                        metrics,
                                        status,
                                        BLOCKING_POOL,
                                        options.pipeline().blockingThreads())));
        steps.add(stage("sync", () -> new SyncVerticle(options.sync(), metrics, status)));
        if (infer) {
            steps.add(new Step("learning", () -> startTraining(options)));
            steps.add(new Step("learning inputs", () -> startLearningInputs(options)));
            steps.add(new Step("learning loop", () -> startLearningLoop(options)));
        }
        if (options.record().enabled()) {
            steps.add(
                    stage(
                            "record",
                            () ->
                                    recorder =
                                            new RecorderVerticle(
                                                    options.record(),
                                                    options.vehicleId(),
                                                    metrics,
                                                    status,
                                                    imageDemand)));
        }
        steps.add(new Step("heap", this::settleHeap));
        if (!options.capture().cameras().isEmpty()) {
            steps.add(
                    source(
                            "capture",
                            () -> new CameraCaptureVerticle(options.capture(), metrics, status)));
        }
        PushIngestVerticle push =
                new PushIngestVerticle(
                        options.ingest(), options.pipeline().maxInFlight(), metrics, status);
        steps.add(source("push", () -> push));
        if (ingest) {
            steps.add(
                    stage(
                            "cluster",
                            () ->
                                    new ClusterForwarderVerticle(
                                            options.cluster().frameTimeoutMs(), metrics, status)));
        } else if (worker && infer) {
            steps.add(stage("cluster", () -> new ClusterWorkerVerticle(status)));
        }
        steps.add(
                stage(
                        "sensors",
                        () ->
                                sensors =
                                        new SensorWatchVerticle(
                                                options.health().sensorStallMs(),
                                                push::unwatched,
                                                status,
                                                metrics)));
        if (infer && options.bridge().enabled() && options.bridge().publishMasks()) {
            steps.add(
                    stage(
                            "bridge masks",
                            () ->
                                    new BridgeMaskPublisher(
                                            options.bridge(), rosFrameIds, metrics, status)));
        }
        FoxgloveStage foxglove =
                new FoxgloveStage(
                        options.http().wsClientQueueBytes(), imageDemand, metrics, status);
        steps.add(stage("websocket", () -> foxglove));
        steps.add(
                stage(
                        "http",
                        () ->
                                http =
                                        new HttpServerVerticle(
                                                options.http(),
                                                registry,
                                                status,
                                                this::ready,
                                                () ->
                                                        inference()
                                                                .flatMap(InferenceVerticle::served),
                                                metrics,
                                                () -> Optional.ofNullable(training),
                                                options.security(),
                                                foxglove)));
        playlist.ifPresent(
                p ->
                        steps.add(
                                source(
                                        "replay",
                                        () ->
                                                new ReplayVerticle(
                                                        p,
                                                        options.replay(),
                                                        options.pipeline(),
                                                        metrics,
                                                        status,
                                                        REPLAY_POOL))));
        if (options.bridge().enabled()) {
            steps.add(
                    source(
                            "bridge",
                            () ->
                                    new BridgeSourceVerticle(
                                            options.bridge(),
                                            options.pipeline().maxInFlight(),
                                            rosFrameIds,
                                            metrics,
                                            status)));
        }
        if (options.velodyne().enabled()) {
            steps.add(
                    source(
                            "velodyne",
                            () ->
                                    velodyne =
                                            new VelodyneSourceVerticle(
                                                    options.velodyne(), metrics, status)));
        }
        return steps;
    }

    /**
     * The learning loop's inputs: replay accumulation and the MQTT commands, when training is on.
     */
    private Future<?> startLearningInputs(NodeOptions options) {
        if (training == null) {
            return Future.succeededFuture();
        }
        Future<?> f = deploy(new TrainingCommands(training, metrics));
        if (options.training().accumulateReplay()) {
            String annotations =
                    PaperConfig.read(options.inference().model().config().orElseThrow())
                            .dataset()
                            .annotationPath();
            f =
                    f.compose(
                            v ->
                                    deploy(
                                            new ReplayAnnotationCollector(
                                                    training.store(), annotations, metrics, 2)));
        }
        return f;
    }

    /**
     * Sizes libtorch's thread pools before the engine starts: intra-op threads for what the event
     * loop and the blocking stages leave (see stack.md: oversubscribed OpenMP threads collapse),
     * one inter-op thread. Explicit system properties win.
     */
    private static void limitTorchThreads(InferenceOptions inference) {
        int n = inference.effectiveThreads(Runtime.getRuntime().availableProcessors());
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    private Future<String> deploy(Deployable verticle) {
        return vertx.deployVerticle(verticle).onSuccess(deployments::push);
    }

    /** Deploys a frame source (replay, live sensors): stopped first, before the drain. */
    private Future<String> deploySource(Deployable verticle) {
        return deploy(verticle).onSuccess(sources::add);
    }

    /** The Vert.x instance. */
    public Vertx vertx() {
        return vertx;
    }

    /** The pipeline metrics. */
    public NodeMetrics metrics() {
        return metrics;
    }

    /** The Prometheus registry behind {@code /metrics}. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Live status sections. */
    public StatusRegistry status() {
        return status;
    }

    /** The inference stage, when enabled (model swaps go through it). */
    public Optional<InferenceVerticle> inference() {
        return Optional.ofNullable(inference);
    }

    /**
     * Opens the annotated-frame store and the model registry (blocking: disk) when on-vehicle
     * learning is on and the served model comes from a paper config.
     */
    /**
     * By-instant batching needs the cameras of an instant in flight together: with fewer credits
     * than that, every batch waits its whole delay.
     */
    private static void warnIfAnInstantCannotFit(NodeOptions options) {
        BatchPolicy p = options.inference().batchPolicy();
        if (p.grouping() == BatchPolicy.Grouping.INSTANT
                && options.pipeline().maxInFlight() < p.camerasPerInstant()) {
            LoggerFactory.getLogger(NodeRuntime.class)
                    .warn(
                            "inference.batching is 'instant' for {} cameras, but pipeline.maxInFlight is {}:"
                                    + " an instant never fits in flight, so every batch waits"
                                    + " inference.maxDelayMs; set pipeline.maxInFlight to at least {} (twice"
                                    + " the cameras keeps the next instant coming)",
                            p.camerasPerInstant(),
                            options.pipeline().maxInFlight(),
                            2 * p.camerasPerInstant());
        }
    }

    private Future<Void> startTraining(NodeOptions options) {
        if (!options.training().enabled()) {
            return Future.succeededFuture();
        }
        Optional<Path> cfg = options.inference().model().config();
        if (cfg.isEmpty()) {
            LoggerFactory.getLogger(NodeRuntime.class)
                    .warn(
                            "fine-tuning is off: the served model has no paper config"
                                    + " (inference.model.config)");
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(
                () -> {
                    training =
                            new FineTuneService(
                                    options.training(),
                                    PaperConfig.read(cfg.get()),
                                    inference,
                                    vertx);
                    status.register("training", training::statusJson);
                    return null;
                });
    }

    /**
     * The learning loop beside fine-tuning: unlabelled-frame capture (hard frames, samples for the
     * teacher) and the teacher.
     */
    private Future<?> startLearningLoop(NodeOptions options) {
        if (training == null) {
            return Future.succeededFuture();
        }
        var t = options.training();
        Future<?> collector =
                t.hardFrames().enabled() || t.sampleEvery() > 0
                        ? deploy(new UnlabelledFrameCollector(training.unlabelled(), t, metrics, 4))
                        : Future.succeededFuture();
        return collector.compose(
                v ->
                        t.teacher().enabled()
                                ? vertx.executeBlocking(
                                        () -> {
                                            training.startTeacher(metrics);
                                            return null;
                                        })
                                : Future.succeededFuture());
    }

    /** The fine-tune service, when on-vehicle learning is on. */
    public Optional<FineTuneService> training() {
        return Optional.ofNullable(training);
    }

    /** The recorder, when recording. */
    public Optional<RecorderVerticle> recorder() {
        return Optional.ofNullable(recorder);
    }

    /**
     * Readiness: started, and (with {@code health.sensorStallMs}) no sensor stalled; what {@code
     * /health/ready} answers.
     */
    public boolean ready() {
        return ready.get() && (sensors == null || sensors.stalled() == 0);
    }

    /** The live Velodyne source, when configured. */
    public Optional<VelodyneSourceVerticle> velodyne() {
        return Optional.ofNullable(velodyne);
    }

    /** The MQTT publisher, when inference and MQTT are on. */
    public Optional<MqttPublisherVerticle> mqtt() {
        return Optional.ofNullable(mqtt);
    }

    /** The HTTP port actually bound. */
    public int httpPort() {
        return http.actualPort();
    }

    /**
     * Stops the stages against the flow (source first, so nothing new enters; each stage lets its
     * submitted work finish, within a bound), then Vert.x. A second call returns the first one's
     * future.
     */
    public synchronized Future<Void> stop() {
        if (stopping != null) {
            return stopping;
        }
        ready.set(false);
        Future<Void> chain = Future.succeededFuture();
        // 1. stop the sources, 2. let the frames they delivered reach the outputs (bounded),
        // 3. stop the rest, last deployed first
        for (String id : List.copyOf(sources)) {
            deployments.remove(id);
            chain = chain.compose(v -> vertx.undeploy(id)).recover(err -> Future.succeededFuture());
        }
        sources.clear();
        chain = chain.compose(v -> drain());
        while (!deployments.isEmpty()) {
            String id = deployments.pop();
            chain = chain.compose(v -> vertx.undeploy(id)).recover(err -> Future.succeededFuture());
        }
        if (training != null) {
            training.close();
        }
        stopping = chain.compose(v -> vertx.close());
        return stopping;
    }

    /**
     * Completes when every camera frame delivered to the pipeline has finished (its mask published,
     * or its drop counted), or after {@link #DRAIN_MS}.
     */
    private Future<Void> drain() {
        Promise<Void> done = Promise.promise();
        long deadline = System.nanoTime() + DRAIN_MS * 1_000_000;
        vertx.setPeriodic(
                20,
                id -> {
                    boolean empty = credits.ended() >= camerasIn.get();
                    if (empty || System.nanoTime() > deadline) {
                        vertx.cancelTimer(id);
                        if (!empty) {
                            LoggerFactory.getLogger(NodeRuntime.class)
                                    .warn(
                                            "stopping with {} frames still in the pipeline after {}"
                                                    + " ms",
                                            camerasIn.get() - credits.ended(),
                                            DRAIN_MS);
                        }
                        done.complete();
                    }
                });
        return done.future();
    }

    /** Frames in the pipeline (delivered, not yet finished). */
    public long framesInFlight() {
        return Math.max(0, camerasIn.get() - credits.ended());
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        stop().await();
    }
}

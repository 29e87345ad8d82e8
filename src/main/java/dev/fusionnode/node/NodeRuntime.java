package dev.fusionnode.node;

import dev.fusionnode.capture.CameraCaptureVerticle;
import dev.fusionnode.cluster.ClusterForwarderVerticle;
import dev.fusionnode.cluster.ClusterOptions;
import dev.fusionnode.cluster.ClusterWorkerVerticle;
import dev.fusionnode.http.HttpServerVerticle;
import dev.fusionnode.inference.InferenceOptions;
import dev.fusionnode.inference.InferenceVerticle;
import dev.fusionnode.inference.ModelLoader;
import dev.fusionnode.ingest.PushIngestVerticle;
import dev.fusionnode.learning.AutoLabeller;
import dev.fusionnode.learning.FineTuneService;
import dev.fusionnode.learning.ReplayAnnotationCollector;
import dev.fusionnode.learning.TrainingCommands;
import dev.fusionnode.learning.UnlabelledFrameCollector;
import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.metrics.MicrometerBasedNodeMetrics;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.Codecs;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.FrameTrackerVerticle;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.SensorWatchVerticle;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.pipeline.SyncedFrame;
import dev.fusionnode.projection.ProjectionVerticle;
import dev.fusionnode.publish.FrameEncoderVerticle;
import dev.fusionnode.publish.mqtt.MqttPublisherVerticle;
import dev.fusionnode.record.RecorderVerticle;
import dev.fusionnode.replay.ReplayOptions;
import dev.fusionnode.replay.ReplayPlaylist;
import dev.fusionnode.replay.ReplayVerticle;
import dev.fusionnode.sync.SyncVerticle;
import dev.fusionnode.velodyne.VelodyneSourceVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running node: one Vert.x instance with the pipeline's verticles deployed in flow order
 * (terminal stage first, source last, so that every consumer exists before frames flow), Prometheus
 * metrics and the HTTP base.
 */
public final class NodeRuntime implements AutoCloseable {
    /** Name of the shared pool for blocking stages (reads, projection). */
    public static final String BLOCKING_POOL = "fusion-blocking";

    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;
    private final NodeMetrics metrics;
    private final StatusRegistry status;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong camerasIn =
            new java.util.concurrent.atomic.AtomicLong();
    private CreditStage credits;
    private final java.util.Set<String> sources =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Longest wait on stop for delivered frames to finish. */
    public static final long DRAIN_MS = 10_000;

    private SensorWatchVerticle sensors;
    private final java.util.Deque<String> deployments =
            new java.util.concurrent.ConcurrentLinkedDeque<>();
    private HttpServerVerticle http;
    private InferenceVerticle inference;
    private MqttPublisherVerticle mqtt;
    private VelodyneSourceVerticle velodyne;
    private RecorderVerticle recorder;
    private FineTuneService training;

    private NodeRuntime(NodeOptions options) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        VertxOptions vo =
                new VertxOptions()
                        .setEventLoopPoolSize(1)
                        .setWorkerPoolSize(Math.max(2, options.pipeline().blockingThreads()))
                        .setMaxEventLoopExecuteTime(options.health().blockedThreadWarnMs())
                        .setMaxEventLoopExecuteTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
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
                                .withClusterManager(clusterManager(options.cluster()))
                                .buildClustered()
                                .await(120, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
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
     * Hazelcast on the configured interface with a TCP join to the listed members (no multicast),
     * starting from the Vert.x cluster manager's own map settings.
     */
    private static io.vertx.spi.cluster.hazelcast.HazelcastClusterManager clusterManager(
            ClusterOptions c) {
        com.hazelcast.config.Config cfg = io.vertx.spi.cluster.hazelcast.ConfigUtil.loadConfig();
        cfg.setClusterName(c.name());
        cfg.setProperty("hazelcast.logging.type", "slf4j");
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.setProperty("hazelcast.socket.bind.any", "false");
        com.hazelcast.config.NetworkConfig net = cfg.getNetworkConfig();
        net.setPort(c.port()).setPortAutoIncrement(true);
        net.getInterfaces().setEnabled(true).addInterface(c.host());
        com.hazelcast.config.JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(c.members());
        return new io.vertx.spi.cluster.hazelcast.HazelcastClusterManager(cfg);
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
        Optional<ReplayPlaylist> playlist;
        try {
            playlist =
                    options.replay().enabled()
                            ? Optional.of(
                                    ReplayPlaylist.load(options.replay().playlist().orElseThrow()))
                            : Optional.empty();
        } catch (RuntimeException e) {
            return rt.vertx.close().transform(v -> Future.failedFuture(e));
        }
        rt.http =
                new HttpServerVerticle(
                        options.http(),
                        rt.registry,
                        rt.status,
                        rt::ready,
                        () -> rt.inference().flatMap(InferenceVerticle::served),
                        rt.metrics,
                        () -> Optional.ofNullable(rt.training),
                        options.security());
        int threads = options.pipeline().blockingThreads();
        boolean ingest =
                options.cluster().enabled()
                        && options.cluster().role() == ClusterOptions.Role.INGEST;
        boolean worker = options.cluster().enabled() && !ingest;
        boolean infer = options.inference().enabled() && !ingest; // an ingest node infers remotely
        boolean lossless =
                options.replay().enabled()
                        && options.replay().mode() == ReplayOptions.DeliveryMode.LOSSLESS;
        if (infer) {
            limitTorchThreads(options.inference());
        }
        io.vertx.core.Promise<NodeRuntime> started = io.vertx.core.Promise.promise();
        rt.credits = new CreditStage(rt.metrics, rt.status);
        Future<?> chain = rt.deploy(rt.credits);
        if (withTracker) {
            chain =
                    chain.compose(
                            v ->
                                    rt.deploy(
                                            new FrameTrackerVerticle(
                                                    rt.metrics,
                                                    rt.status,
                                                    infer || ingest,
                                                    !infer && !ingest)));
        }
        if (infer && options.mqtt().enabled()) {
            rt.mqtt =
                    new MqttPublisherVerticle(
                            options.mqtt(),
                            options.vehicleId(),
                            () -> rt.inference().flatMap(InferenceVerticle::served),
                            rt.metrics,
                            rt.status);
            chain = chain.compose(v -> rt.deploy(rt.mqtt));
        }
        if (infer) {
            chain =
                    chain.compose(
                            v ->
                                    rt.deploy(
                                            new FrameEncoderVerticle(
                                                    () -> rt.inference.current().classes(),
                                                    rt.metrics,
                                                    2,
                                                    lossless,
                                                    withTracker)));
            chain =
                    chain.compose(
                            v -> {
                                rt.inference =
                                        new InferenceVerticle(
                                                options.inference(),
                                                () -> ModelLoader.load(options.inference()),
                                                rt.metrics,
                                                rt.status);
                                return rt.deploy(rt.inference);
                            });
        }
        chain.compose(
                        v ->
                                rt.deploy(
                                        new ProjectionVerticle(
                                                options.projection(),
                                                rt.metrics,
                                                rt.status,
                                                BLOCKING_POOL,
                                                threads)))
                .compose(v -> rt.deploy(new SyncVerticle(options.sync(), rt.metrics, rt.status)))
                .compose(v -> infer ? rt.startTraining(options) : Future.succeededFuture())
                .compose(
                        v ->
                                rt.training != null && options.training().accumulateReplay()
                                        ? rt.deploy(
                                                new ReplayAnnotationCollector(
                                                        rt.training.store(),
                                                        PaperConfig.read(
                                                                        options.inference()
                                                                                .model()
                                                                                .config()
                                                                                .orElseThrow())
                                                                .dataset()
                                                                .annotationPath(),
                                                        rt.metrics,
                                                        2))
                                        : Future.succeededFuture())
                .compose(
                        v ->
                                rt.training != null
                                        ? rt.deploy(new TrainingCommands(rt.training, rt.metrics))
                                        : Future.succeededFuture())
                .compose(v -> rt.startLearningLoop(options))
                .compose(
                        v -> {
                            if (!options.record().enabled()) {
                                return Future.succeededFuture();
                            }
                            rt.recorder =
                                    new RecorderVerticle(
                                            options.record(),
                                            options.vehicleId(),
                                            rt.metrics,
                                            rt.status);
                            return rt.deploy(rt.recorder);
                        })
                .compose(
                        v ->
                                options.capture().cameras().isEmpty()
                                        ? Future.succeededFuture()
                                        : rt.deploySource(
                                                new CameraCaptureVerticle(
                                                        options.capture(), rt.metrics, rt.status)))
                .compose(v -> rt.deploySource(new PushIngestVerticle(rt.metrics, rt.status)))
                .compose(
                        v ->
                                ingest
                                        ? rt.deploy(
                                                new ClusterForwarderVerticle(
                                                        options.cluster().frameTimeoutMs(),
                                                        rt.metrics,
                                                        rt.status))
                                        : worker && infer
                                                ? rt.deploy(new ClusterWorkerVerticle(rt.status))
                                                : Future.succeededFuture())
                .compose(
                        v -> {
                            rt.sensors =
                                    new SensorWatchVerticle(
                                            options.health().sensorStallMs(),
                                            rt.status,
                                            rt.metrics);
                            return rt.deploy(rt.sensors);
                        })
                .compose(v -> rt.deploy(rt.http))
                .compose(
                        v ->
                                playlist.isPresent()
                                        ? rt.deploySource(
                                                new ReplayVerticle(
                                                        playlist.get(),
                                                        options.replay(),
                                                        options.pipeline(),
                                                        rt.metrics,
                                                        rt.status,
                                                        BLOCKING_POOL))
                                        : Future.succeededFuture())
                .compose(
                        v -> {
                            if (!options.velodyne().enabled()) {
                                return Future.succeededFuture();
                            }
                            rt.velodyne =
                                    new VelodyneSourceVerticle(
                                            options.velodyne(), rt.metrics, rt.status);
                            return rt.deploySource(rt.velodyne);
                        })
                .map(
                        v -> {
                            rt.ready.set(true);
                            return rt;
                        })
                .onComplete(
                        ar -> {
                            if (ar.succeeded()) {
                                started.complete(rt);
                                return;
                            }
                            // fail only once Vert.x is closed (ports and threads released); the
                            // promise has no context, so its listeners do not need the event
                            // loops that the close stops
                            rt.vertx.close().onComplete(closed -> started.fail(ar.cause()));
                        });
        return started.future();
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

    private Future<String> deploy(io.vertx.core.Deployable verticle) {
        return vertx.deployVerticle(verticle).onSuccess(deployments::push);
    }

    /** Deploys a frame source (replay, live sensors): stopped first, before the drain. */
    private Future<String> deploySource(io.vertx.core.Deployable verticle) {
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
    private Future<Void> startTraining(NodeOptions options) {
        if (!options.training().enabled()) {
            return Future.succeededFuture();
        }
        Optional<java.nio.file.Path> cfg = options.inference().model().config();
        if (cfg.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(NodeRuntime.class)
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
                    status.register(
                            "training",
                            () ->
                                    new io.vertx.core.json.JsonObject()
                                            .put("storeFrames", training.store().size())
                                            .put(
                                                    "pseudoLabelled",
                                                    training.store().pseudoLabelled())
                                            .put(
                                                    "hardFrames",
                                                    training.unlabelled()
                                                            .size(UnlabelledStore.HARD))
                                            .put(
                                                    "sampledFrames",
                                                    training.unlabelled()
                                                            .size(UnlabelledStore.SAMPLED))
                                            .put(
                                                    "teacher",
                                                    training.teacher()
                                                            .map(AutoLabeller::statusJson)
                                                            .orElse(null))
                                            .put("storeBytes", training.store().bytes())
                                            .put("jobs", training.jobs().size())
                                            .put(
                                                    "serving",
                                                    training.registry().serving().orElse(null))
                                            .put("servedModel", training.servedModelJson()));
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
     * submitted work finish, within a bound), then Vert.x.
     */
    public Future<Void> stop() {
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
        return chain.compose(v -> vertx.close());
    }

    /**
     * Completes when every camera frame delivered to the pipeline has finished (its mask published,
     * or its drop counted), or after {@link #DRAIN_MS}.
     */
    private Future<Void> drain() {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        long deadline = System.nanoTime() + DRAIN_MS * 1_000_000;
        vertx.setPeriodic(
                20,
                id -> {
                    boolean empty = credits.ended() >= camerasIn.get();
                    if (empty || System.nanoTime() > deadline) {
                        vertx.cancelTimer(id);
                        if (!empty) {
                            org.slf4j.LoggerFactory.getLogger(NodeRuntime.class)
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

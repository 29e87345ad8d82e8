package dev.fusionnode.projection;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.Rig;
import dev.fusionnode.geometry.EncodedLidar;
import dev.fusionnode.geometry.LidarProjector;
import dev.fusionnode.io.CalibrationFiles;
import dev.fusionnode.io.Files2;
import dev.fusionnode.io.RigFiles;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.Fault;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.OrderedWorker;
import dev.fusionnode.pipeline.PerCameraCounts;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.pipeline.SyncedFrame;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projection stage: turns each {@link SyncedFrame} into a {@link FusedFrame} with the CLFT LiDAR
 * image at camera resolution, on the shared blocking pool, released in arrival order ({@link
 * OrderedWorker}). Pixels come from the scan's dataset hints when it has them, else from the
 * configured rig (the frame's camera against the scan's LiDAR), else from the configured
 * calibration file, else from the source's {@link CalibrationUpdate} in force at the frame's
 * capture time.
 */
public final class ProjectionVerticle extends Stage {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionVerticle.class);

    private final ProjectionOptions options;
    private final String poolName;
    private final int poolSize;
    private final LidarProjector projector;
    private WorkerExecutor executor;
    private OrderedWorker worker;
    private Optional<Calibration> configured = Optional.empty();
    private boolean configuredSizeFromFrame;
    private Optional<Rig> rig = Optional.empty();

    /** Each camera's calibration updates from the sources (a rig's cameras differ). */
    private final Map<String, CalibrationHistory> fromSource = new HashMap<>();

    private final AtomicLong projected = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();
    private long lastNoCalibrationWarn;

    /** Creates the stage; blocking work runs on the shared worker pool {@code poolName}. */
    public ProjectionVerticle(
            ProjectionOptions options,
            NodeMetrics metrics,
            StatusRegistry status,
            String poolName,
            int poolSize) {
        super("projection", metrics, status);
        this.options = options;
        this.poolName = poolName;
        this.poolSize = poolSize;
        this.projector = new LidarProjector(options.minDepthM());
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> startStage() {
        executor = vertx.createSharedWorkerExecutor(poolName, poolSize);
        worker = new OrderedWorker(executor);
        options.calibration()
                .ifPresent(
                        p -> {
                            try {
                                // a KITTI file has no image size: each frame's own is used
                                configuredSizeFromFrame = !"json".equals(Files2.extension(p));
                                configured = Optional.of(CalibrationFiles.read(p, 1, 1));
                            } catch (BadInputException e) {
                                metrics.badInput(e.reason());
                                LOG.error(
                                        "ignoring the configured calibration: {}", e.getMessage());
                            }
                        });
        if (options.rig().isPresent()) {
            // a rig the node cannot read is a start failure: every camera would go unprojected
            rig = Optional.of(RigFiles.read(options.rig().get()));
        }
        var bus = vertx.eventBus();
        bus.<CalibrationUpdate>localConsumer(
                Addresses.CALIBRATION,
                m -> {
                    if (fromSource.size() < PerCameraCounts.MAX_CAMERAS
                            || fromSource.containsKey(m.body().cameraId())) {
                        fromSource
                                .computeIfAbsent(m.body().cameraId(), c -> new CalibrationHistory())
                                .add(m.body());
                    }
                });
        bus.<SyncedFrame>localConsumer(Addresses.SYNCED, m -> onSynced(m.body()));
        return Future.succeededFuture();
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> stopStage() {
        return worker == null ? Future.succeededFuture() : worker.close(vertx, 5_000);
    }

    private void onSynced(SyncedFrame frame) {
        Optional<Calibration> calibration =
                rig.isPresent()
                        ? frame.scan()
                                .flatMap(
                                        s ->
                                                rig.get()
                                                        .calibration(
                                                                frame.camera().sensorId(),
                                                                s.sensorId()))
                        : configured.isPresent()
                                ? configuredFor(frame.camera().image())
                                : sourceCalibration(frame);
        queued.incrementAndGet();
        worker.submit(
                () -> fuse(frame, calibration),
                ar -> {
                    queued.decrementAndGet();
                    if (ar.succeeded()) {
                        projected.incrementAndGet();
                        vertx.eventBus().publish(Addresses.FUSED, ar.result());
                    } else {
                        metrics.fault(Fault.PROJECTION_FAILED);
                        LOG.error(
                                "projection failed [camera: {}, seq: {}]",
                                frame.camera().sensorId(),
                                frame.camera().seq(),
                                ar.cause());
                        vertx.eventBus().publish(Addresses.FUSED, cameraOnly(frame));
                    }
                });
    }

    /** The configured calibration, at the frame's image size when its file has none (KITTI). */
    private Optional<Calibration> configuredFor(Image image) {
        return configuredSizeFromFrame
                ? configured.map(c -> c.withImageSize(image.width(), image.height()))
                : configured;
    }

    /**
     * The source's calibration of the frame's camera at its capture time; a source that names no
     * camera in its updates (one camera) serves every frame.
     */
    private Optional<Calibration> sourceCalibration(SyncedFrame frame) {
        CalibrationHistory h = fromSource.get(frame.camera().sensorId());
        if (h == null && fromSource.size() == 1) {
            h = fromSource.values().iterator().next();
        }
        return h == null ? Optional.empty() : h.at(frame.camera().captureTimeNs());
    }

    /** Projects and encodes one frame (blocking, CPU-bound). */
    FusedFrame fuse(SyncedFrame frame, Optional<Calibration> calibration) {
        if (frame.scan().isEmpty()) {
            return cameraOnly(frame);
        }
        long t0 = System.nanoTime();
        LidarScan scan =
                rig.isPresent()
                        ? ScanMerger.merge(frame.scan().get(), frame.otherScans(), rig.get())
                        : frame.scan().get();
        Calibration cal = scan.pixelHints().isPresent() ? null : calibration.orElse(null);
        if (cal == null && scan.pixelHints().isEmpty()) {
            noCalibration(scan);
            return cameraOnly(frame);
        }
        Image cam = frame.camera().image();
        EncodedLidar encoded =
                options.encoding().rasterize(projector, scan, cal, cam.width(), cam.height());
        metrics.projectionTime(System.nanoTime() - t0);
        return new FusedFrame(
                frame.camera(),
                Optional.of(scan),
                Optional.of(encoded.image()),
                encoded.pointsLanded(),
                frame.skewNs(),
                frame.ingestNanoTime());
    }

    private void noCalibration(LidarScan scan) {
        metrics.badInput(BadInputReason.INCONSISTENT_FRAME);
        long now = System.nanoTime();
        if (now - lastNoCalibrationWarn > 10_000_000_000L) {
            lastNoCalibrationWarn = now;
            LOG.warn(
                    "{}: scan has no pixel coordinates and no calibration is known for it and the"
                            + " camera{}; frame goes on camera-only",
                    scan.origin(),
                    rig.isPresent() ? " (the rig lists only " + rig.get().cameraIds() + ")" : "");
        }
    }

    private static FusedFrame cameraOnly(SyncedFrame f) {
        return new FusedFrame(
                f.camera(), Optional.empty(), Optional.empty(), 0, 0, f.ingestNanoTime());
    }

    /** {@inheritDoc} */
    @Override
    protected Supplier<Number> queueDepth() {
        return queued::get;
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        return new JsonObject()
                .put("encoding", options.encoding().id())
                .put("queueDepth", queued.get())
                .put("projected", projected.get())
                .put(
                        "calibration",
                        rig.isPresent()
                                ? "rig " + rig.get().cameraIds()
                                : configured.isPresent()
                                        ? "configured"
                                        : !fromSource.isEmpty() ? "source" : "none");
    }
}

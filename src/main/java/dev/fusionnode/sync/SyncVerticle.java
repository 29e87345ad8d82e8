package dev.fusionnode.sync;

import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.FrameEnd;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.PerCameraCounts;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.pipeline.SyncedFrame;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time-synchronisation stage: pairs camera frames with LiDAR scans ({@link TimeSynchronizer}) and
 * forwards them to {@link Addresses#SYNCED}; frames without a scan go on camera-only or are
 * dropped, as configured.
 */
public final class SyncVerticle extends Stage {
    private static final Logger LOG = LoggerFactory.getLogger(SyncVerticle.class);

    private final SyncOptions options;
    private final TimeSynchronizer synchronizer;
    private long timerId = -1;
    private long paired;
    private long cameraOnly;

    /** Per camera: frames paired with a scan, frames without one. */
    private final PerCameraCounts perCamera = new PerCameraCounts("paired", "unpaired");

    /** Creates the stage. */
    public SyncVerticle(SyncOptions options, NodeMetrics metrics, StatusRegistry status) {
        super("sync", metrics, status);
        this.options = options;
        this.synchronizer = new TimeSynchronizer(options);
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> startStage() {
        var bus = vertx.eventBus();
        bus.<CameraFrame>localConsumer(Addresses.CAMERA, m -> onCamera(m.body()));
        bus.<LidarScan>localConsumer(Addresses.LIDAR, m -> onScan(m.body()));
        bus.localConsumer(Addresses.SYNC_RESET, m -> forward(synchronizer.reset()));
        metrics.gauge(NodeMetrics.SYNC_WAITING, section(), () -> synchronizer.waitingFrames());
        return Future.succeededFuture();
    }

    private void onScan(LidarScan scan) {
        metrics.ingested(scan.sensorId(), "lidar");
        forward(synchronizer.onScan(scan));
    }

    private void onCamera(CameraFrame frame) {
        metrics.ingested(frame.sensorId(), "camera");
        forward(synchronizer.onCamera(frame, System.nanoTime()));
        armTimer();
    }

    private void armTimer() {
        if (timerId >= 0) {
            return;
        }
        synchronizer
                .nextDeadline()
                .ifPresent(
                        deadline -> {
                            long delayMs =
                                    Math.max(
                                            1,
                                            (deadline - System.nanoTime() + 999_999) / 1_000_000);
                            timerId =
                                    vertx.setTimer(
                                            delayMs,
                                            id -> {
                                                timerId = -1;
                                                forward(synchronizer.onTimer(System.nanoTime()));
                                                armTimer();
                                            });
                        });
    }

    private void forward(List<TimeSynchronizer.Decision> decisions) {
        var bus = vertx.eventBus();
        for (TimeSynchronizer.Decision d : decisions) {
            SyncedFrame f = d.frame();
            perCamera.add(f.camera().sensorId(), d.paired() ? 0 : 1);
            if (d.paired()) {
                paired++;
                metrics.syncSkew(f.skewNs());
                bus.publish(Addresses.SYNCED, f);
            } else if (options.unpaired() == SyncOptions.UnpairedPolicy.CAMERA_ONLY) {
                cameraOnly++;
                bus.publish(Addresses.SYNCED, f);
            } else {
                LOG.debug(
                        "dropping frame without LiDAR in tolerance [camera: {}, seq: {}]",
                        f.camera().sensorId(),
                        f.camera().seq());
                CreditStage.end(
                        bus, FrameEnd.dropped(f.camera(), DropReason.NO_LIDAR_IN_TOLERANCE));
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        return new JsonObject()
                .put("toleranceMs", options.toleranceNs() / 1e6)
                .put("waitingFrames", synchronizer.waitingFrames())
                .put("bufferedScans", synchronizer.bufferedScans())
                .put("paired", paired)
                .put("cameraOnly", cameraOnly)
                .put("perCamera", perCamera.json())
                .put("droppedNoLidar", metrics.dropped(DropReason.NO_LIDAR_IN_TOLERANCE));
    }
}

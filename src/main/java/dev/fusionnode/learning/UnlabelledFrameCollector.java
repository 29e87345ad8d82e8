package dev.fusionnode.learning;

import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.SegmentedFrame;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps segmented frames without a label in the {@link UnlabelledStore}: <b>hard frames</b>, whose
 * unfamiliarity reaches {@code training.hardFrames.threshold} (at most one per {@code
 * minIntervalMs}), for a person to annotate, as a smart recorder keeps the seconds around an event;
 * and every {@code training.sampleEvery}-th frame for the teacher. A side branch on its own worker
 * thread that never holds a frame's credit. Hard and sampled frames wait for the writer apart: when
 * writes fall behind by {@code hardFrames.maxPending} hard frames or {@code maxPendingSampled}
 * sampled ones, a new frame of that kind is skipped and counted ({@code
 * fusionnode.learning.frames{event=hard_skipped|sampled_skipped}}), so sampling for the teacher
 * never crowds out a hard frame. A source frame is kept once per model version (a drive replayed in
 * a loop offers the same frames again): the repeat is counted as {@code hard_duplicate} or {@code
 * sampled_duplicate} and not kept.
 */
public final class UnlabelledFrameCollector extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(UnlabelledFrameCollector.class);

    private final UnlabelledStore store;
    private final FineTuneOptions options;
    private final NodeMetrics metrics;
    private final int maxPendingSampled;
    private WorkerExecutor writer;
    private int pendingHard;
    private int pendingSampled;
    private long seen;
    private long lastHardMs = Long.MIN_VALUE / 2;

    /**
     * @param store where frames go
     * @param options the {@code training} block (hard frames, sampling)
     * @param metrics counters
     * @param maxPendingSampled sampled frames being written at most
     */
    public UnlabelledFrameCollector(
            UnlabelledStore store,
            FineTuneOptions options,
            NodeMetrics metrics,
            int maxPendingSampled) {
        this.store = store;
        this.options = options;
        this.metrics = metrics;
        this.maxPendingSampled = maxPendingSampled;
    }

    @Override
    public Future<?> start() {
        writer = vertx.createSharedWorkerExecutor("fusion-unlabelled-store", 1);
        vertx.eventBus().<SegmentedFrame>localConsumer(Addresses.SEGMENTED, m -> onFrame(m.body()));
        return Future.succeededFuture();
    }

    private void onFrame(SegmentedFrame f) {
        seen++;
        var hard = options.hardFrames();
        long now = System.currentTimeMillis();
        String reason;
        if (hard.enabled()
                && f.unfamiliarity() >= hard.threshold()
                && now - lastHardMs >= hard.minIntervalMs()) {
            if (pendingHard >= hard.maxPending()) {
                metrics.learningFrame("hard_skipped");
                return;
            }
            reason = UnlabelledStore.HARD;
            lastHardMs = now;
            pendingHard++;
        } else if (options.sampleEvery() > 0 && seen % options.sampleEvery() == 0) {
            if (pendingSampled >= maxPendingSampled) {
                metrics.learningFrame("sampled_skipped");
                return;
            }
            reason = UnlabelledStore.SAMPLED;
            pendingSampled++;
        } else {
            return;
        }
        var cam = f.fused().camera();
        JsonObject meta =
                new JsonObject()
                        .put("reason", reason)
                        .put("camera", cam.sensorId())
                        .put("seq", cam.seq())
                        .put("captureTimeNs", cam.captureTimeNs())
                        .put("origin", cam.origin())
                        .put("unfamiliarity", f.unfamiliarity())
                        .put("modelVersion", f.modelVersion())
                        .put("keptAtMs", now);
        boolean hardFrame = reason.equals(UnlabelledStore.HARD);
        Optional<Image> lidar = f.fused().lidarImage();
        writer.executeBlocking(() -> store.addIfNew(cam.image(), lidar, meta), true)
                .onComplete(
                        ar -> {
                            if (hardFrame) {
                                pendingHard--;
                            } else {
                                pendingSampled--;
                            }
                            if (ar.succeeded() && ar.result().isEmpty()) {
                                metrics.learningFrame(reason + "_duplicate");
                            } else if (ar.succeeded()) {
                                metrics.learningFrame(hardFrame ? "hard_captured" : "sampled");
                                if (hardFrame) {
                                    LOG.info(
                                            "kept hard frame {} of {} (unfamiliarity {}) as {}",
                                            cam.seq(),
                                            cam.sensorId(),
                                            String.format(
                                                    Locale.ROOT,
                                                    "%.3f",
                                                    meta.getDouble("unfamiliarity")),
                                            ar.result().get());
                                }
                            } else {
                                metrics.learningFrame(reason + "_failed");
                                LOG.warn(
                                        "{} frame {} of {} not kept: {}",
                                        reason,
                                        cam.seq(),
                                        cam.sensorId(),
                                        ar.cause().getMessage());
                            }
                        });
    }

    @Override
    public Future<?> stop() {
        return writer == null ? Future.succeededFuture() : writer.close();
    }
}

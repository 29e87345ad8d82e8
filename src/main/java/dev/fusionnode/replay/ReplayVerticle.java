package dev.fusionnode.replay;

import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.FrameDone;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.OrderedWorker;
import dev.fusionnode.pipeline.PipelineOptions;
import dev.fusionnode.pipeline.RateMeter;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.replay.ReplayOptions.DeliveryMode;
import dev.fusionnode.replay.ReplayOptions.ReplayRate;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a drive (a dataset split or a recording folder) into the pipeline: each frame's scan goes
 * to {@link Addresses#LIDAR}, then its camera image to {@link Addresses#CAMERA}.
 *
 * <p>Frames are read ahead on the blocking pool and released in order ({@link OrderedWorker});
 * timed playback reads in the middle of the pipeline's gaps ({@link ReadAhead}). Pacing follows the
 * camera capture times (the drive's timestamps, or its nominal frame rate) divided by the rate,
 * measured from an anchor frame that is reset on resume, seek and rate changes ({@code max}: no
 * pacing). At most {@code maxInFlight} frames are in the pipeline at once; a finished frame returns
 * its credit through {@link Addresses#FRAME_DONE}. In {@link DeliveryMode#LOSSLESS} mode a frame
 * waits for a credit, so nothing is dropped and the output sequence is the same on every run. In
 * {@link DeliveryMode#LIVE} mode frames fall due on the clock whatever the pipeline does; up to
 * {@code liveQueue} wait for credits and beyond that the oldest is dropped and counted ({@link
 * DropReason#PIPELINE_LAG}).
 *
 * <p>Controls (request-reply on {@link Addresses#REPLAY_CONTROL}): pause, resume, seek to a frame,
 * set the rate.
 */
public final class ReplayVerticle extends Stage {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayVerticle.class);
    private static final ReadAhead READ_AHEAD = new ReadAhead(3);

    private final ReplayPlaylist playlist;
    private final ReplayOptions options;
    private final PipelineOptions pipeline;
    private final String poolName;
    private final RateMeter rate = new RateMeter();

    private FrameSource loader;
    private WorkerExecutor executor;
    private OrderedWorker worker;
    private ReplayRate playbackRate;
    private boolean loop;
    private boolean paused;
    private boolean finished;
    private boolean stopping;
    private long generation;
    private int nextIndex;
    private int pass;
    private long goodFrames;
    private long badFrames;
    private String failure;
    private boolean sourceExhausted;
    private int loading;
    private final Deque<LoadedFrame> ready = new ArrayDeque<>();
    private final Deque<LoadedFrame> waiting = new ArrayDeque<>();
    private int inFlight;
    private long emitted;
    private long droppedLag;
    private long anchorWallNs = -1;
    private long anchorCaptureNs;

    /** Releases the next frame when it falls due. */
    private final PumpTimer dueTimer = new PumpTimer();

    /** Reads ahead halfway through a gap. */
    private final PumpTimer readTimer = new PumpTimer();

    private long lastEndNs = System.nanoTime();
    private Optional<CalibrationUpdate> lastCalibration = Optional.empty();

    /** Creates the source; blocking reads run on the shared worker pool {@code poolName}. */
    public ReplayVerticle(
            ReplayPlaylist playlist,
            ReplayOptions options,
            PipelineOptions pipeline,
            NodeMetrics metrics,
            StatusRegistry status,
            String poolName) {
        super("replay", metrics, status);
        this.playlist = playlist;
        this.options = options;
        this.pipeline = pipeline;
        this.poolName = poolName;
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> startStage() {
        DriveSource drive = playlist.drive();
        if (options.startFrame() >= drive.frames()) {
            return Future.failedFuture(
                    new IllegalArgumentException(
                            "replay.startFrame "
                                    + options.startFrame()
                                    + " is beyond the drive's "
                                    + drive.frames()
                                    + " frames"));
        }
        executor = vertx.createSharedWorkerExecutor(poolName, pipeline.blockingThreads());
        worker = new OrderedWorker(executor);
        playbackRate = options.rate().orElse(playlist.rate());
        loop = options.loop().orElse(playlist.loop());
        paused = options.startPaused();
        nextIndex = options.startFrame();
        EventBus bus = vertx.eventBus();
        bus.<FrameDone>localConsumer(Addresses.FRAME_DONE, m -> onDone());
        bus.<JsonObject>localConsumer(Addresses.REPLAY_CONTROL, this::onControl);
        metrics.gauge(NodeMetrics.IN_FLIGHT, section(), () -> inFlight);
        return executor.executeBlocking(() -> drive.open(metrics))
                .onSuccess(
                        l -> {
                            loader = l;
                            l.startCalibrations().forEach(this::publishCalibration);
                            LOG.info(
                                    "replaying drive '{}' [frames: {}, layout: {}, rate: {}, mode: {}, loop: {}]",
                                    drive.name(),
                                    drive.frames(),
                                    drive.kind(),
                                    playbackRate,
                                    options.mode(),
                                    loop);
                            if (drive instanceof ReplayDrive dataset) {
                                dataset.timestamps()
                                        .ifPresent(
                                                t ->
                                                        LOG.info(
                                                                "drive '{}' plays at the capture times of {}",
                                                                drive.name(),
                                                                t.file()));
                            }
                            pump();
                        });
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> stopStage() {
        stopping = true;
        dueTimer.cancel();
        readTimer.cancel();
        return worker == null ? Future.succeededFuture() : worker.close(vertx, 5_000);
    }

    private void pump() {
        if (loader == null || stopping) {
            return;
        }
        fillReadAhead();
        if (paused) {
            return;
        }
        // live: frames that waited for a credit go first (credits may have come back while paused)
        while (!waiting.isEmpty() && inFlight < pipeline.maxInFlight()) {
            emit(waiting.pollFirst());
        }
        while (!ready.isEmpty()) {
            LoadedFrame f = ready.peekFirst();
            if (f.camera().isEmpty()) {
                ready.pollFirst(); // unreadable frame: already counted by the loader
                fillReadAhead();
                continue;
            }
            long due = dueNanos(f);
            long now = System.nanoTime();
            if (due > now) {
                dueTimer.arm(due, due - now);
                return;
            }
            if (options.mode() == DeliveryMode.LOSSLESS) {
                if (inFlight >= pipeline.maxInFlight()) {
                    return;
                }
                emit(ready.pollFirst());
            } else {
                ready.pollFirst();
                if (inFlight < pipeline.maxInFlight() && waiting.isEmpty()) {
                    emit(f);
                } else {
                    waiting.addLast(f);
                    if (waiting.size() > pipeline.liveQueue()) {
                        waiting.pollFirst();
                        droppedLag++;
                        metrics.frameDropped(DropReason.PIPELINE_LAG);
                    }
                }
            }
            fillReadAhead();
        }
        checkFinished();
    }

    private long dueNanos(LoadedFrame f) {
        if (playbackRate.max()) {
            return 0;
        }
        long captureNs = f.camera().get().captureTimeNs();
        if (anchorWallNs < 0) {
            anchorWallNs = System.nanoTime();
            anchorCaptureNs = captureNs;
        }
        double mediaNs = (double) (captureNs - anchorCaptureNs);
        return anchorWallNs + (long) (mediaNs / playbackRate.factor());
    }

    private void fillReadAhead() {
        while (!sourceExhausted) {
            long at =
                    READ_AHEAD.readAt(
                            playbackRate.max(),
                            inFlight,
                            loading + ready.size(),
                            lastEndNs,
                            nextDueNs());
            if (at == ReadAhead.LATER) {
                return;
            }
            long wait = at == ReadAhead.NOW ? 0 : at - System.nanoTime();
            if (wait > 0) {
                readTimer.arm(at, wait);
                return;
            }
            DriveSource drive = playlist.drive();
            int end =
                    options.maxFrames() > 0
                            ? Math.min(drive.frames(), options.startFrame() + options.maxFrames())
                            : drive.frames();
            if (nextIndex >= end) {
                if (!loop) {
                    sourceExhausted = true;
                    return;
                }
                if (pass >= 1 && goodFrames == 0 && badFrames > 0) {
                    // a whole pass read nothing: looping again would only repeat the warnings
                    failure =
                            "no frame of drive '"
                                    + drive.name()
                                    + "' could be read ("
                                    + badFrames
                                    + " reads failed as bad input; see the warnings above)";
                    LOG.error("replay stopped: {}", failure);
                    sourceExhausted = true;
                    return;
                }
                pass++;
                nextIndex = options.startFrame();
            }
            int index = nextIndex++;
            int framePass = pass;
            long gen = generation;
            loading++;
            worker.submit(
                    () -> loader.load(gen, index, framePass),
                    ar -> {
                        loading--;
                        if (ar.failed()) {
                            LOG.error(
                                    "replay read failed [drive: {}, frame: {}]",
                                    drive.name(),
                                    index,
                                    ar.cause());
                        } else if (ar.result().generation() == generation) {
                            if (ar.result().camera().isPresent()
                                    || !ar.result().scans().isEmpty()) {
                                goodFrames++;
                            } else {
                                badFrames++;
                            }
                            ready.addLast(ar.result());
                        }
                        pump();
                    });
        }
    }

    /** When the next ready frame is due, or {@link ReadAhead#NOW} when that is not known yet. */
    private long nextDueNs() {
        LoadedFrame f = ready.peekFirst();
        return f == null || f.camera().isEmpty() || anchorWallNs < 0 ? ReadAhead.NOW : dueNanos(f);
    }

    private void emit(LoadedFrame f) {
        EventBus bus = vertx.eventBus();
        if (f.calibration().isPresent() && !sameCalibration(f.calibration().get())) {
            publishCalibration(f.calibration().get());
        }
        f.scans().forEach(s -> bus.publish(Addresses.LIDAR, s));
        bus.publish(Addresses.CAMERA, f.camera().get());
        inFlight++;
        emitted++;
        rate.mark();
    }

    private boolean sameCalibration(CalibrationUpdate update) {
        return lastCalibration.isPresent()
                && lastCalibration.get().calibration().equals(update.calibration());
    }

    private void publishCalibration(CalibrationUpdate update) {
        lastCalibration = Optional.of(update);
        vertx.eventBus().publish(Addresses.CALIBRATION, update);
    }

    private void onDone() {
        if (inFlight > 0) {
            inFlight--;
        }
        lastEndNs = System.nanoTime();
        while (!waiting.isEmpty() && inFlight < pipeline.maxInFlight() && !paused) {
            emit(waiting.pollFirst());
        }
        pump();
    }

    private void checkFinished() {
        if (sourceExhausted && loading == 0 && ready.isEmpty() && waiting.isEmpty() && !finished) {
            finished = true;
            LOG.info(
                    "replay of '{}' finished [frames emitted: {}, dropped for lag: {}]",
                    playlist.drive().name(),
                    emitted,
                    droppedLag);
        }
    }

    /** A one-shot timer that pumps when it fires; arming it for another time replaces it. */
    private final class PumpTimer {
        private long id = -1;
        private long atNs;

        /** Pumps at {@code atNs}, {@code delayNs} from now, unless armed for that time already. */
        void arm(long atNs, long delayNs) {
            if (id >= 0 && this.atNs == atNs) {
                return;
            }
            cancel();
            this.atNs = atNs;
            id =
                    vertx.setTimer(
                            Math.max(1, delayNs / 1_000_000),
                            t -> {
                                id = -1;
                                pump();
                            });
        }

        void cancel() {
            if (id >= 0) {
                vertx.cancelTimer(id);
                id = -1;
            }
        }
    }

    private void onControl(Message<JsonObject> msg) {
        JsonObject req = msg.body() == null ? new JsonObject() : msg.body();
        String action = req.getString("action", "");
        try {
            switch (action) {
                case "pause" -> {
                    paused = true;
                    dueTimer.cancel();
                }
                case "resume" -> {
                    paused = false;
                    anchorWallNs = -1;
                    pump();
                }
                case "seek" -> seek(req.getInteger("frame", 0));
                case "rate" -> {
                    playbackRate = ReplayRate.parse(String.valueOf(req.getValue("value")));
                    anchorWallNs = -1;
                    pump();
                }
                case "status" -> {}
                default ->
                        throw new IllegalArgumentException(
                                "unknown replay action '"
                                        + action
                                        + "' (pause, resume, seek, rate, status)");
            }
            msg.reply(statusJson());
        } catch (IllegalArgumentException e) {
            msg.fail(400, e.getMessage());
        }
    }

    private void seek(int frame) {
        int size = playlist.drive().frames();
        if (frame < 0 || frame >= size) {
            throw new IllegalArgumentException(
                    "seek frame " + frame + " is outside 0.." + (size - 1));
        }
        generation++;
        ready.clear();
        waiting.clear();
        nextIndex = frame;
        lastCalibration = Optional.empty();
        sourceExhausted = false;
        finished = false;
        anchorWallNs = -1;
        dueTimer.cancel();
        vertx.eventBus().publish(Addresses.SYNC_RESET, null);
        pump();
    }

    /** {@inheritDoc} */
    @Override
    protected Supplier<Number> queueDepth() {
        return () -> waiting.size() + ready.size();
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        return new JsonObject()
                .put("drive", playlist.drive().name())
                .put("frames", playlist.drive().frames())
                .put(
                        "state",
                        failure != null
                                ? "failed: " + failure
                                : finished ? "finished" : paused ? "paused" : "playing")
                .put("mode", options.mode().name().toLowerCase(Locale.ROOT))
                .put("rate", playbackRate.toString())
                .put("loop", loop)
                .put("nextFrame", nextIndex)
                .put("pass", pass)
                .put("emitted", emitted)
                .put("fps", rate.perSecond())
                .put("inFlight", inFlight)
                .put("waiting", waiting.size())
                .put("droppedForLag", droppedLag);
    }
}

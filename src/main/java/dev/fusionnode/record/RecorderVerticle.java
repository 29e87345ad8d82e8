package dev.fusionnode.record;

import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.ImageDemand;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what the node ingests (camera frames, LiDAR scans, calibration; masks and confidence maps
 * when asked) to {@code <dir>/<drive>/drive.mcap}, in the node's JSON messages or as a ROS 2 bag
 * ({@link RecordingFormat}). Encoding and writing run on one writer thread behind a bounded queue
 * (a full queue drops the new message and counts it, the sensors never wait); the chunk in progress
 * is written and synced every {@code flushIntervalMs}, so a crash loses at most that, and the
 * reader reads a file cut short up to its damage. An I/O error (a full disk) stops the recording
 * with a status that says why; the node keeps running.
 */
public final class RecorderVerticle extends Stage {
    private static final Logger LOG = LoggerFactory.getLogger(RecorderVerticle.class);

    private final RecordOptions options;
    private final String vehicleId;
    private final ExecutorService writer =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "fusion-recorder");
                        t.setDaemon(true);
                        return t;
                    });
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private RecordingWriter recording;
    private Path file;
    private volatile String state = "starting";
    private long lastSyncNs = System.nanoTime();

    /**
     * @param options the {@code record} block
     * @param vehicleId names the drive when the options do not
     * @param metrics drop counter
     * @param status the status page (section {@code record})
     * @param demand told that a ROS 2 recording with masks wants each frame's overlay JPEG
     */
    public RecorderVerticle(
            RecordOptions options,
            String vehicleId,
            NodeMetrics metrics,
            StatusRegistry status,
            ImageDemand demand) {
        super("record", metrics, status);
        this.options = options;
        this.vehicleId = vehicleId;
        if (options.masks() && options.format().equals("ros2")) {
            demand.want(ImageDemand.Kind.OVERLAY, "recording", true);
        }
    }

    @Override
    protected Future<?> startStage() {
        String drive =
                options.drive()
                        .orElse(
                                vehicleId
                                        + "-"
                                        + ZonedDateTime.now(ZoneOffset.UTC)
                                                .format(
                                                        DateTimeFormatter.ofPattern(
                                                                "yyyyMMdd-HHmmss")));
        file = options.dir().resolve(drive).resolve("drive.mcap");
        return vertx.executeBlocking(
                        () -> {
                            Files.createDirectories(file.getParent());
                            recording = RecordingWriter.create(file, options);
                            return null;
                        })
                .onSuccess(
                        v -> {
                            state = "recording";
                            LOG.info("recording to {}", file);
                            var bus = vertx.eventBus();
                            bus.<CameraFrame>localConsumer(Addresses.CAMERA, m -> camera(m.body()));
                            bus.<LidarScan>localConsumer(Addresses.LIDAR, m -> scan(m.body()));
                            bus.<CalibrationUpdate>localConsumer(
                                    Addresses.CALIBRATION, m -> calibration(m.body()));
                            if (options.masks()) {
                                bus.<EncodedFrame>localConsumer(
                                        Addresses.ENCODED, m -> mask(m.body()));
                            }
                            vertx.setPeriodic(
                                    options.flushIntervalMs(), id -> submit(this::syncIfDue));
                        })
                .recover(
                        err -> {
                            // the node runs on without recording; the status says why
                            state = "failed: cannot open " + file + ": " + err.getMessage();
                            LOG.error(
                                    "recording to {} cannot start (the node keeps running): {}",
                                    file,
                                    err.toString());
                            return Future.succeededFuture();
                        });
    }

    /** The file being written. */
    public Path file() {
        return file;
    }

    private void camera(CameraFrame f) {
        submit(() -> recording.camera(f));
    }

    private void scan(LidarScan s) {
        submit(() -> recording.scan(s));
    }

    private void calibration(CalibrationUpdate u) {
        submit(() -> recording.calibration(u));
    }

    private void mask(EncodedFrame e) {
        submit(() -> recording.outputs(e));
    }

    /** Queues a writer task unless the queue is full or the recording stopped. */
    private void submit(IoTask task) {
        if (!"recording".equals(state)) {
            return;
        }
        if (queued.incrementAndGet() > options.queueMessages()) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            metrics.frameDropped(DropReason.RECORDER_BEHIND);
            return;
        }
        writer.execute(
                () -> {
                    try {
                        if ("recording".equals(state)) {
                            task.run();
                        }
                    } catch (IOException | RuntimeException e) {
                        fail(e);
                    } finally {
                        queued.decrementAndGet();
                    }
                });
    }

    private void syncIfDue() throws IOException {
        if (System.nanoTime() - lastSyncNs >= options.flushIntervalMs() * 1_000_000 / 2) {
            recording.sync();
            lastSyncNs = System.nanoTime();
            stopIfDiskLow();
        }
    }

    /** Ends the recording, its file complete, when the disk has less than record.minFreeBytes. */
    private void stopIfDiskLow() throws IOException {
        long free = Files.getFileStore(file).getUsableSpace();
        if (free >= options.minFreeBytes()) {
            return;
        }
        closeFile();
        state =
                "stopped: the disk has "
                        + free
                        + " bytes free, under record.minFreeBytes ("
                        + options.minFreeBytes()
                        + "); "
                        + file
                        + " is complete up to here";
        LOG.warn("recording {}", state);
    }

    /** Closes the file (its footer written) and completes what the format keeps beside it. */
    private void closeFile() throws IOException {
        recording.close();
    }

    private void fail(Exception e) {
        state = "failed: " + e.getMessage() + " (recording stopped; " + file + " reads up to here)";
        LOG.error("recording to {} stopped (the node keeps running): {}", file, e.toString());
        try {
            closeFile();
        } catch (IOException | RuntimeException suppressed) {
            // the file is read up to its damage
        }
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
                .put("state", state)
                .put("file", String.valueOf(file))
                .put("messages", recording == null ? 0 : recording.messages())
                .put("bytes", recording == null ? 0 : recording.bytesWritten())
                .put("queued", queued.get())
                .put("dropped", dropped.get());
    }

    @Override
    protected Future<?> stopStage() {
        return vertx.executeBlocking(
                () -> {
                    writer.execute(
                            () -> {
                                if ("recording".equals(state)) {
                                    try {
                                        closeFile();
                                        state = "closed";
                                    } catch (IOException e) {
                                        fail(e);
                                    }
                                }
                            });
                    writer.shutdown();
                    writer.awaitTermination(30, TimeUnit.SECONDS);
                    LOG.info(
                            "recording closed: {} ({} messages)",
                            file,
                            recording == null ? 0 : recording.messages());
                    return null;
                });
    }

    /** A writer-thread task. */
    @FunctionalInterface
    private interface IoTask {
        void run() throws IOException;
    }
}

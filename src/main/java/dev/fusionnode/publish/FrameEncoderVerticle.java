package dev.fusionnode.publish;

import dev.fusionnode.inference.MaskOverlay;
import dev.fusionnode.inference.ModelClasses;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.Fault;
import dev.fusionnode.pipeline.FrameEnd;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.ImageDemand;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.PerCameraCounts;
import dev.fusionnode.pipeline.SegmentedFrame;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.pipeline.Transport;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes each segmented frame once for every publisher (mask and confidence PNG, overlay and
 * camera JPEG, meta JSON) off the event loop and publishes the {@link EncodedFrame} on {@link
 * Addresses#ENCODED}. It is the last stage of a frame's path: it ends the frame at the {@link
 * CreditStage} once the frame is encoded and handed to the transports, so that a lossless source
 * waits for publishing too and never a segmented frame goes unpublished. In live delivery, when
 * encoding falls behind by {@code maxPending} frames the newest frame is not encoded; it ends as
 * dropped ({@link DropReason#PUBLISH_BEHIND}), counted once.
 */
public final class FrameEncoderVerticle extends Stage {
    /** Frames encoded per camera (status). */
    private final PerCameraCounts perCamera = new PerCameraCounts("encoded");

    private static final Logger LOG = LoggerFactory.getLogger(FrameEncoderVerticle.class);

    /** Quality of the overlay and camera JPEGs. */
    public static final int JPEG_QUALITY = 85;

    private final Supplier<ModelClasses> classes;
    private final ImageDemand demand;
    private volatile long cameraJpegSkipped;
    private volatile long overlayJpegSkipped;
    private final int maxPending;
    private final boolean lossless;
    private final boolean endsFrames;
    private WorkerExecutor encoder;
    private volatile int pending;
    private volatile long encoded;
    private volatile long skipped;

    /**
     * @param classes the classes of the model in service (names and colours)
     * @param metrics pipeline metrics
     * @param status live status sections
     * @param maxPending in live delivery, frames being encoded at most; beyond, new frames are
     *     dropped and counted
     * @param lossless lossless delivery: every frame is encoded (the credits bound the queue)
     * @param endsFrames this stage returns each frame's credit (the node's frame path; false where
     *     the caller returns credits itself)
     */
    public FrameEncoderVerticle(
            Supplier<ModelClasses> classes,
            ImageDemand demand,
            NodeMetrics metrics,
            StatusRegistry status,
            int maxPending,
            boolean lossless,
            boolean endsFrames) {
        super("encoder", metrics, status);
        this.classes = classes;
        this.demand = demand;
        this.maxPending = maxPending;
        this.lossless = lossless;
        this.endsFrames = endsFrames;
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> startStage() {
        encoder = vertx.createSharedWorkerExecutor("fusion-publish-encoder", 1);
        vertx.eventBus().<SegmentedFrame>localConsumer(Addresses.SEGMENTED, m -> onFrame(m.body()));
        return Future.succeededFuture();
    }

    private void onFrame(SegmentedFrame f) {
        if (!lossless && pending >= maxPending) {
            skipped++;
            end(f, DropReason.PUBLISH_BEHIND);
            return;
        }
        pending++;
        ModelClasses c = classes.get();
        boolean withCamera = demand.wanted(ImageDemand.Kind.CAMERA);
        if (!withCamera) {
            cameraJpegSkipped++;
        }
        boolean withOverlay = demand.wanted(ImageDemand.Kind.OVERLAY);
        if (!withOverlay) {
            overlayJpegSkipped++;
        }
        long dropped = droppedSoFar();
        encoder.executeBlocking(
                        () -> {
                            EncodedFrame e = encode(f, c, dropped, withCamera, withOverlay);
                            // published from the encoding thread: the bus hands the frame straight
                            // to the transports' contexts, not through this verticle's event loop
                            vertx.eventBus().publish(Addresses.ENCODED, e);
                            return e;
                        },
                        true)
                .onComplete(
                        ar -> {
                            pending--;
                            if (ar.succeeded()) {
                                encoded++;
                                String camera = f.fused().camera().sensorId();
                                perCamera.add(camera, 0);
                                metrics.published(camera);
                                end(f, null);
                            } else {
                                LOG.warn(
                                        "could not encode frame {} for publishing: {}",
                                        f.fused().camera().seq(),
                                        ar.cause().toString());
                                metrics.publishDropped(Transport.ENCODER);
                                metrics.fault(Fault.ENCODE_FAILED);
                                end(f, DropReason.ENCODE_ERROR);
                            }
                        });
    }

    /** Ends the frame's path (this is the last stage of a segmented frame). */
    private void end(SegmentedFrame f, DropReason dropped) {
        if (endsFrames) {
            CreditStage.end(
                    vertx.eventBus(),
                    new FrameEnd(f.fused().camera().sensorId(), f.fused().camera().seq(), dropped));
        }
    }

    private long droppedSoFar() {
        return NodeMetrics.total(metrics.drops());
    }

    /** The JPEG of a frame nobody asked it of. */
    private static final byte[] NO_JPEG = new byte[0];

    /** Each encoding thread's overlay buffer, reused frame after frame. */
    private static final ThreadLocal<byte[]> OVERLAY_BUFFER =
            ThreadLocal.withInitial(() -> new byte[0]);

    /** Encodes one frame (blocking: PNG/JPEG codecs). */
    public static EncodedFrame encode(SegmentedFrame f, ModelClasses classes, long droppedSoFar) {
        return encode(f, classes, droppedSoFar, true, true);
    }

    /**
     * Encodes one frame; without {@code cameraJpeg} or {@code overlayJpeg} that JPEG is left empty
     * (nobody wants it: {@link ImageDemand}).
     */
    public static EncodedFrame encode(
            SegmentedFrame f,
            ModelClasses classes,
            long droppedSoFar,
            boolean cameraJpeg,
            boolean overlayJpeg) {
        var cam = f.fused().camera();
        Image mask = f.mask();
        byte[] maskPng = ImageCodec.encodeMapPng(mask);
        byte[] confidencePng = ImageCodec.encodeMapPng(f.confidence());
        byte[] overlay = overlayJpeg ? overlayJpeg(f, classes.colors()) : NO_JPEG;
        byte[] camera = cameraJpeg ? ImageCodec.encodeJpeg(cam.image(), JPEG_QUALITY) : NO_JPEG;
        long[] counts = new long[256];
        for (byte id : mask.unsafePixels()) {
            counts[id & 0xFF]++;
        }
        JsonObject pixels = new JsonObject();
        JsonArray legend = new JsonArray();
        for (int i = 0; i < classes.names().size(); i++) {
            pixels.put(classes.names().get(i), counts[i]);
            legend.add(
                    new JsonObject()
                            .put("index", i)
                            .put("name", classes.names().get(i))
                            .put("color", String.format("#%06x", classes.colors()[i])));
        }
        Instant wall = Instant.now();
        long now = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        JsonObject meta =
                new JsonObject()
                        .put("seq", cam.seq())
                        .put("camera", cam.sensorId())
                        .put("captureTimeNs", cam.captureTimeNs())
                        .put("publishTimeNs", now)
                        .put("width", mask.width())
                        .put("height", mask.height())
                        .put("lidar", !f.fused().cameraOnly())
                        .put("pointsInImage", f.fused().pointsInImage())
                        .put(
                                "latencyMs",
                                new JsonObject()
                                        .put("fusion", f.fusionNanos() / 1e6)
                                        .put("queue", f.queueNanos() / 1e6)
                                        .put("preprocess", f.preprocessNanos() / 1e6)
                                        .put("forward", f.forwardNanos() / 1e6)
                                        .put("postprocess", f.postprocessNanos() / 1e6)
                                        .put(
                                                "endToEnd",
                                                (System.nanoTime() - f.fused().ingestNanoTime())
                                                        / 1e6))
                        .put("batchSize", f.batchSize())
                        .put("classPixels", pixels)
                        .put("classes", legend)
                        .put("unfamiliarity", f.unfamiliarity())
                        .put("modelVersion", f.modelVersion())
                        .put("droppedSoFar", droppedSoFar);
        return new EncodedFrame(
                f,
                cam.sensorId(),
                cam.seq(),
                cam.captureTimeNs(),
                classes.names(),
                classes.colors(),
                maskPng,
                confidencePng,
                overlay,
                camera,
                meta);
    }

    /**
     * The overlay JPEG of a frame: its mask in {@code colors} blended over its camera image
     * (blocking).
     */
    public static byte[] overlayJpeg(SegmentedFrame f, int[] colors) {
        Image camera = f.fused().camera().image();
        byte[] blend = OVERLAY_BUFFER.get();
        int size = camera.width() * camera.height() * 3;
        if (blend.length != size) {
            blend = new byte[size];
            OVERLAY_BUFFER.set(blend);
        }
        // the blended image lives only until it is encoded: its buffer serves the next frame
        return ImageCodec.encodeJpeg(
                MaskOverlay.overlay(camera, f.mask(), colors, blend), JPEG_QUALITY);
    }

    /** Frames encoded so far. */
    public long encoded() {
        return encoded;
    }

    /** Frames dropped because encoding fell behind (live delivery). */
    public long skipped() {
        return skipped;
    }

    /** {@inheritDoc} */
    @Override
    protected Supplier<Number> queueDepth() {
        return () -> pending;
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        return new JsonObject()
                .put("lossless", lossless)
                .put("encoded", encoded)
                .put("cameraJpegSkipped", cameraJpegSkipped)
                .put("overlayJpegSkipped", overlayJpegSkipped)
                .put("encodedPerCamera", perCamera.json("encoded"))
                .put("pending", pending)
                .put("skippedBehind", skipped);
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> stopStage() {
        return encoder == null ? Future.succeededFuture() : encoder.close();
    }
}

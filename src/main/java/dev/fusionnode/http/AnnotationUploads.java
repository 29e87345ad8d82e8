package dev.fusionnode.http;

import static dev.fusionnode.http.JsonReplies.error;
import static dev.fusionnode.http.JsonReplies.json;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.learning.FineTuneService;
import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.NodeMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * {@code POST /api/annotations}: an annotated frame as multipart fields {@code camera}, {@code
 * annotation} and {@code lidar}, read in memory ({@link MultipartUpload}: no temporary file),
 * checked, and stored durably before the answer. With {@code ?frame=<id>} the annotation is of a
 * kept frame ({@code /api/unlabelled}): its camera and LiDAR images come from the node, only {@code
 * annotation} is sent, and once stored the frame leaves the unlabelled store.
 */
final class AnnotationUploads implements Handler<RoutingContext> {
    /** The most bytes one upload may carry (413 beyond). */
    static final long MAX_UPLOAD_BYTES = 64L << 20;

    /** Uploads read at once (each held in memory up to {@link #MAX_UPLOAD_BYTES}); more get 503. */
    static final int MAX_CONCURRENT_UPLOADS = 2;

    private final AtomicInteger uploads = new AtomicInteger();
    private final Vertx vertx;
    private final NodeMetrics metrics;
    private final Function<RoutingContext, Optional<FineTuneService>> service;

    /**
     * @param service the fine-tune service, or empty after answering 503 when learning is off
     */
    AnnotationUploads(
            Vertx vertx,
            NodeMetrics metrics,
            Function<RoutingContext, Optional<FineTuneService>> service) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.service = service;
    }

    @Override
    public void handle(RoutingContext rc) {
        Optional<FineTuneService> s = service.apply(rc);
        if (s.isEmpty()) {
            return;
        }
        OptionalLong kept = keptFrame(rc);
        if (kept == null) {
            return;
        }
        if (kept.isPresent() && s.get().unlabelled().find(kept.getAsLong()).isEmpty()) {
            json(rc, 404, error("no kept frame " + kept.getAsLong()));
            return;
        }
        if (uploads.incrementAndGet() > MAX_CONCURRENT_UPLOADS) {
            uploads.decrementAndGet();
            json(rc, 503, error("another upload is being read; try again when it is stored"));
            return;
        }
        MultipartUpload.read(rc.request(), MAX_UPLOAD_BYTES, 3)
                .onComplete(ar -> uploads.decrementAndGet())
                .onSuccess(
                        parts -> {
                            if (kept.isPresent()) {
                                storeKept(rc, s.get(), kept.getAsLong(), parts);
                            } else {
                                store(rc, s.get(), parts);
                            }
                        })
                .onFailure(
                        err -> {
                            if (rc.response().ended()) {
                                return;
                            }
                            if (err instanceof MultipartUpload.TooLarge) {
                                json(rc, 413, error(err.getMessage()));
                            } else {
                                json(rc, 400, error("unreadable upload: " + err.getMessage()));
                            }
                        });
    }

    /** The {@code frame} query parameter; null after answering 400 when it is no number. */
    private static OptionalLong keptFrame(RoutingContext rc) {
        String frame = rc.queryParams().get("frame");
        try {
            return frame == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(frame));
        } catch (NumberFormatException e) {
            json(rc, 400, error("frame must be a kept frame's id (a number), got '" + frame + "'"));
            return null;
        }
    }

    /** An annotation of kept frame {@code id}: the node's camera and LiDAR images with it. */
    private void storeKept(
            RoutingContext rc, FineTuneService s, long id, Map<String, Buffer> parts) {
        Buffer annotation = parts.get("annotation");
        if (annotation == null || parts.containsKey("camera") || parts.containsKey("lidar")) {
            json(
                    rc,
                    400,
                    error(
                            "with ?frame= only the multipart field 'annotation' (one-channel PNG of"
                                    + " dataset class ids) is sent: the camera and LiDAR images are"
                                    + " the kept frame's"));
            return;
        }
        vertx.<Optional<JsonObject>>executeBlocking(
                        () -> {
                            Optional<UnlabelledStore.Entry> e = s.unlabelled().find(id);
                            if (e.isEmpty()) {
                                return Optional.empty();
                            }
                            Image cam = e.get().cameraImage();
                            Optional<Image> li = e.get().lidarImage();
                            Image ann =
                                    ImageCodec.decodePng(
                                            annotation.getBytes(),
                                            "upload 'annotation'",
                                            ImageCodec.Channels.AS_STORED);
                            s.checkAnnotated(cam, li, ann, "upload");
                            long stored = s.store().add(cam, li, ann);
                            s.unlabelled().remove(id);
                            return Optional.of(
                                    new JsonObject()
                                            .put("id", stored)
                                            .put("keptFrame", id)
                                            .put("frames", s.store().size())
                                            .put("bytes", s.store().bytes()));
                        })
                .onSuccess(
                        j ->
                                j.ifPresentOrElse(
                                        body -> json(rc, 201, body),
                                        () ->
                                                json(
                                                        rc,
                                                        404,
                                                        error(
                                                                "no kept frame "
                                                                        + id
                                                                        + " (annotated or dropped"
                                                                        + " meanwhile)"))))
                .onFailure(err -> failed(rc, err));
    }

    private void store(RoutingContext rc, FineTuneService s, Map<String, Buffer> parts) {
        Buffer camera = parts.get("camera");
        Buffer annotation = parts.get("annotation");
        Buffer lidar = parts.get("lidar");
        if (camera == null || annotation == null) {
            json(
                    rc,
                    400,
                    error(
                            "multipart fields 'camera' (PNG/JPEG) and 'annotation' (one-channel PNG"
                                    + " of dataset class ids) are required, and 'lidar' (the CLFT LiDAR"
                                    + " PNG) unless the served model is rgb-only"));
            return;
        }
        vertx.<JsonObject>executeBlocking(
                        () -> {
                            Image cam =
                                    ImageCodec.decode(
                                            camera.getBytes(),
                                            "upload 'camera'",
                                            ImageCodec.Channels.RGB);
                            Image ann =
                                    ImageCodec.decodePng(
                                            annotation.getBytes(),
                                            "upload 'annotation'",
                                            ImageCodec.Channels.AS_STORED);
                            Optional<Image> li =
                                    Optional.ofNullable(lidar)
                                            .map(
                                                    l ->
                                                            ImageCodec.decode(
                                                                    l.getBytes(),
                                                                    "upload 'lidar'",
                                                                    ImageCodec.Channels.RGB));
                            s.checkAnnotated(cam, li, ann, "upload");
                            long id = s.store().add(cam, li, ann);
                            return new JsonObject()
                                    .put("id", id)
                                    .put("frames", s.store().size())
                                    .put("bytes", s.store().bytes());
                        })
                .onSuccess(j -> json(rc, 201, j))
                .onFailure(err -> failed(rc, err));
    }

    /** Answers a store that failed: bad input 400, a full or read-only disk 507, else 500. */
    private void failed(RoutingContext rc, Throwable err) {
        if (err instanceof BadInputException b) {
            metrics.badInput(b.reason());
            json(rc, 400, error(b.getMessage()));
        } else if (err instanceof UncheckedIOException) {
            // 507 Insufficient Storage: the disk is full or not writable
            json(
                    rc,
                    507,
                    error(
                            "the frame was not stored (nothing of it was kept;"
                                    + " the node keeps running): "
                                    + err.getMessage()));
        } else {
            json(rc, 500, error("could not store the frame: " + err));
        }
    }
}

package dev.fusionnode.http;

import static dev.fusionnode.http.JsonReplies.error;
import static dev.fusionnode.http.JsonReplies.json;

import dev.fusionnode.inference.ServedModel;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.learning.ModelRegistry;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.publish.FrameEncoderVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The read-only HTTP API beside the health and status endpoints: the latest published frame ({@code
 * /api/frames/latest/mask.png|overlay.jpg|camera.jpg|meta.json}), the model in service ({@code
 * /api/models}), the OpenAPI document ({@code /api/openapi.json}) and the viewer page ({@code /},
 * static files from the jar's {@code webroot/}).
 */
final class ApiRoutes {
    private final Supplier<Optional<ServedModel>> model;
    private final Supplier<Optional<ModelRegistry>> versions;
    private final Supplier<Optional<JsonArray>> annotationClasses;
    private volatile EncodedFrame latest;

    /**
     * @param vertx subscribes to {@link Addresses#ENCODED} for the latest frame
     * @param model the model in service, when inference runs
     * @param versions the kept model versions, when fine-tuning is on
     * @param annotationClasses the classes to annotate with and their dataset ids, when fine-tuning
     *     is on
     */
    ApiRoutes(
            Vertx vertx,
            Supplier<Optional<ServedModel>> model,
            Supplier<Optional<ModelRegistry>> versions,
            Supplier<Optional<JsonArray>> annotationClasses) {
        this.model = model;
        this.versions = versions;
        this.annotationClasses = annotationClasses;
        vertx.eventBus().<EncodedFrame>localConsumer(Addresses.ENCODED, m -> latest = m.body());
    }

    /** Adds the routes to {@code router}. */
    void mount(Router router) {
        router.get("/api/frames/latest/:file").handler(this::latestFrame);
        router.get("/api/models").handler(this::models);
        Buffer openapi = resource("openapi.json");
        router.get("/api/openapi.json")
                .handler(
                        rc ->
                                rc.response()
                                        .putHeader("content-type", "application/json")
                                        .end(openapi));
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    }

    private void latestFrame(RoutingContext rc) {
        EncodedFrame f = latest;
        String file = rc.pathParam("file");
        if (f == null) {
            error(rc, 404, "no frame has been published yet");
            return;
        }
        switch (file) {
            case "mask.png" -> binary(rc, "image/png", f.maskPng(), f);
            // a JPEG nobody took when the frame was encoded is made for this request
            case "overlay.jpg" ->
                    jpeg(
                            rc,
                            f,
                            f.overlayJpeg(),
                            () -> FrameEncoderVerticle.overlayJpeg(f.frame(), f.classColors()));
            case "camera.jpg" ->
                    jpeg(
                            rc,
                            f,
                            f.cameraJpeg(),
                            () ->
                                    ImageCodec.encodeJpeg(
                                            f.frame().fused().camera().image(),
                                            FrameEncoderVerticle.JPEG_QUALITY));
            case "confidence.png" -> binary(rc, "image/png", f.confidencePng(), f);
            case "lidar.png" -> lidarPng(rc, f);
            case "meta.json" -> json(rc, 200, f.meta());
            default ->
                    error(
                            rc,
                            404,
                            "unknown file '"
                                    + file
                                    + "'; available: mask.png, overlay.jpg, camera.jpg,"
                                    + " confidence.png, lidar.png, meta.json");
        }
    }

    /**
     * The CLFT LiDAR image the model read with the frame (3 channels at camera size, encoded as
     * {@code projection.encoding} says); 404 for a camera-only frame.
     */
    private static void lidarPng(RoutingContext rc, EncodedFrame f) {
        var lidar = f.frame().fused().lidarImage();
        if (lidar.isEmpty()) {
            error(rc, 404, "the latest frame went through camera-only: it has no LiDAR image");
            return;
        }
        encoded(rc, f, "image/png", () -> ImageCodec.encodePng(lidar.get()));
    }

    /** The frame's JPEG as encoded, or made by {@code encode} when the frame has none. */
    private static void jpeg(
            RoutingContext rc, EncodedFrame f, byte[] encoded, Callable<byte[]> encode) {
        if (encoded.length > 0) {
            binary(rc, "image/jpeg", encoded, f);
        } else {
            encoded(rc, f, "image/jpeg", encode);
        }
    }

    /** Encodes for this request on a worker (blocking codecs) and answers with the bytes. */
    private static void encoded(
            RoutingContext rc, EncodedFrame f, String type, Callable<byte[]> encode) {
        rc.vertx()
                .executeBlocking(encode, false)
                .onSuccess(bytes -> binary(rc, type, bytes, f))
                .onFailure(e -> error(rc, 500, "cannot encode: " + e.getMessage()));
    }

    private static void binary(RoutingContext rc, String type, byte[] bytes, EncodedFrame f) {
        rc.response()
                .putHeader("content-type", type)
                .putHeader("x-frame-seq", Long.toString(f.seq()))
                .putHeader("x-capture-time-ns", Long.toString(f.captureTimeNs()))
                .putHeader("x-model-version", f.modelVersion())
                .end(Buffer.buffer(bytes));
    }

    private void models(RoutingContext rc) {
        Optional<ServedModel> m = model.get();
        JsonArray list = new JsonArray();
        m.ifPresent(
                s -> {
                    var spec = s.model().spec();
                    JsonArray classes = new JsonArray();
                    for (int i = 0; i < s.classes().names().size(); i++) {
                        classes.add(
                                new JsonObject()
                                        .put("index", i)
                                        .put("name", s.classes().names().get(i))
                                        .put(
                                                "color",
                                                String.format("#%06x", s.classes().colors()[i])));
                    }
                    list.add(
                            new JsonObject()
                                    .put("version", s.model().version())
                                    .put("inService", true)
                                    .put("backbone", spec.backbone().timmName())
                                    .put("mode", spec.mode().id())
                                    .put("imageSize", spec.imageSize())
                                    .put("resampleDim", spec.resampleDim())
                                    .put("parameters", s.model().parameterCount())
                                    .put("device", s.model().device().toString())
                                    .put("provenance", s.provenance())
                                    .put("classes", classes));
                });
        JsonObject body = new JsonObject().put("models", list);
        annotationClasses.get().ifPresent(c -> body.put("annotationClasses", c));
        versions.get()
                .ifPresent(
                        r -> {
                            JsonArray kept = new JsonArray();
                            String serving = r.serving().orElse("");
                            for (ModelRegistry.Entry e : r.entries()) {
                                kept.add(
                                        new JsonObject()
                                                .put("version", e.version())
                                                .put("inService", e.version().equals(serving))
                                                .put("source", e.source())
                                                .put(
                                                        "validationMiou",
                                                        Double.isNaN(e.validationMiou())
                                                                ? null
                                                                : e.validationMiou())
                                                .put("created", e.created()));
                            }
                            body.put("versions", kept);
                        });
        json(rc, 200, body);
    }

    private static Buffer resource(String name) {
        try (InputStream in = ApiRoutes.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

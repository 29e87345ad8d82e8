package dev.fusionnode.http;

import static dev.fusionnode.http.JsonReplies.error;
import static dev.fusionnode.http.JsonReplies.json;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.learning.FineTuneJob;
import dev.fusionnode.learning.FineTuneService;
import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.NodeMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The on-vehicle learning API: {@code POST /api/annotations} (multipart: {@code camera}, {@code
 * annotation}, optional {@code lidar}), {@code POST /api/finetune}, {@code GET /api/finetune[/id]},
 * {@code DELETE /api/finetune/{id}} and {@code POST /api/models/activate}.
 */
final class TrainingRoutes {
    /** Largest annotation upload (three full-size PNGs). */
    private final Vertx vertx;

    private final Supplier<Optional<FineTuneService>> service;
    private final NodeMetrics metrics;

    TrainingRoutes(Vertx vertx, Supplier<Optional<FineTuneService>> service, NodeMetrics metrics) {
        this.vertx = vertx;
        this.service = service;
        this.metrics = metrics;
    }

    /** The upload route; mount before the router's general (small) body handler. */
    void mountUploads(Router router) {
        router.post("/api/annotations").handler(new AnnotationUploads(vertx, metrics, this::svc));
    }

    /** The JSON routes. */
    void mount(Router router) {
        router.post("/api/finetune").handler(this::startJob);
        router.get("/api/finetune").handler(this::listJobs);
        router.get("/api/finetune/:id").handler(this::getJob);
        router.get("/api/finetune/:id/events").handler(this::jobEvents);
        router.delete("/api/finetune/:id").handler(this::cancelJob);
        router.post("/api/models/activate").handler(this::activate);
        router.get("/api/unlabelled").handler(this::listUnlabelled);
        router.get("/api/unlabelled/:id/camera.png").handler(this::unlabelledCamera);
        router.get("/api/unlabelled/:id/mask.png").handler(this::unlabelledMask);
        router.delete("/api/unlabelled/:id").handler(this::deleteUnlabelled);
    }

    /** Kept frames without a label: {@code ?reason=hard} for the ones to annotate. */
    private void listUnlabelled(RoutingContext rc) {
        String reason = rc.queryParams().get("reason");
        svc(rc).ifPresent(
                        s -> {
                            JsonArray list = new JsonArray();
                            s.unlabelled().entries().stream()
                                    .filter(e -> reason == null || e.reason().equals(reason))
                                    .forEach(e -> list.add(e.meta()));
                            json(
                                    rc,
                                    200,
                                    new JsonObject()
                                            .put("frames", list)
                                            .put("bytes", s.unlabelled().bytes()));
                        });
    }

    private Optional<UnlabelledStore.Entry> unlabelled(RoutingContext rc, FineTuneService s) {
        long id;
        try {
            id = Long.parseLong(rc.pathParam("id"));
        } catch (NumberFormatException e) {
            json(rc, 400, error("frame ids are numbers, got '" + rc.pathParam("id") + "'"));
            return Optional.empty();
        }
        var e = s.unlabelled().find(id);
        if (e.isEmpty()) {
            json(rc, 404, error("no kept frame " + id));
        }
        return e;
    }

    private void unlabelledCamera(RoutingContext rc) {
        svc(rc).flatMap(s -> unlabelled(rc, s))
                .ifPresent(
                        e ->
                                rc.response()
                                        .putHeader("content-type", "image/png")
                                        .sendFile(e.camera().toString()));
    }

    /**
     * The served model's mask of a kept frame in dataset class ids: where a person's annotation
     * starts. One forward pass, on a worker.
     */
    private void unlabelledMask(RoutingContext rc) {
        svc(rc).ifPresent(s -> unlabelled(rc, s).ifPresent(e -> sendMask(rc, s, e)));
    }

    /** A starting mask as PNG bytes, and the model version that made it. */
    private record MaskPng(byte[] png, String modelVersion) {}

    private void sendMask(RoutingContext rc, FineTuneService s, UnlabelledStore.Entry e) {
        vertx.executeBlocking(
                        () -> {
                            var m = s.startingMasks().of(e);
                            return new MaskPng(
                                    ImageCodec.encodePng(m.annotation()), m.modelVersion());
                        },
                        false)
                .onSuccess(
                        m ->
                                rc.response()
                                        .putHeader("content-type", "image/png")
                                        .putHeader("x-model-version", m.modelVersion())
                                        .end(Buffer.buffer(m.png())))
                .onFailure(
                        err ->
                                json(
                                        rc,
                                        500,
                                        error("cannot segment kept frame " + e.id() + ": " + err)));
    }

    /** Drops a kept frame (annotated elsewhere by now, or not worth it). */
    private void deleteUnlabelled(RoutingContext rc) {
        svc(rc).ifPresent(
                        s ->
                                unlabelled(rc, s)
                                        .ifPresent(
                                                e -> {
                                                    s.unlabelled().remove(e.id());
                                                    rc.response().setStatusCode(204).end();
                                                }));
    }

    private Optional<FineTuneService> svc(RoutingContext rc) {
        Optional<FineTuneService> s = service.get();
        if (s.isEmpty()) {
            json(
                    rc,
                    503,
                    error(
                            "fine-tuning is off: it needs training.enabled and a model served from a"
                                    + " paper config (inference.model.config)"));
        }
        return s;
    }

    private void startJob(RoutingContext rc) {
        Optional<FineTuneService> s = svc(rc);
        if (s.isEmpty()) {
            return;
        }
        JsonObject params;
        try {
            params =
                    rc.body() == null || rc.body().length() == 0
                            ? new JsonObject()
                            : rc.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            json(rc, 400, error("the body must be a JSON object: " + e.getMessage()));
            return;
        }
        JsonObject request = params == null ? new JsonObject() : params;
        // start() writes the store's splits (fsynced files): on a worker, not the event loop
        rc.vertx()
                .executeBlocking(() -> s.get().start(request), false)
                .onSuccess(
                        job -> {
                            rc.response().putHeader("location", "/api/finetune/" + job.id());
                            json(rc, 202, job.toJson());
                        })
                .onFailure(
                        e -> {
                            if (e instanceof IllegalArgumentException) {
                                json(rc, 400, error(e.getMessage()));
                            } else if (e instanceof FineTuneService.JobsFullException) {
                                rc.response().putHeader("retry-after", "60");
                                json(rc, 429, error(e.getMessage()));
                            } else {
                                rc.fail(e);
                            }
                        });
    }

    private void listJobs(RoutingContext rc) {
        svc(rc).ifPresent(
                        s -> {
                            JsonArray list = new JsonArray();
                            s.jobs().forEach(j -> list.add(j.toJson()));
                            json(
                                    rc,
                                    200,
                                    new JsonObject()
                                            .put("jobs", list)
                                            .put("defaults", s.defaultParameters()));
                        });
    }

    private void getJob(RoutingContext rc) {
        withJob(rc, j -> json(rc, 200, j.toJson()));
    }

    /**
     * Server-Sent Events of one job: its JSON now and on every change (event {@code job}), a
     * comment line every 15 s while nothing changes, and the end of the stream once the job has
     * ended.
     */
    private void jobEvents(RoutingContext rc) {
        withJob(rc, j -> JobEvents.stream(vertx, rc.response(), j));
    }

    private void cancelJob(RoutingContext rc) {
        withJob(
                rc,
                j -> {
                    if (j.cancel()) {
                        json(rc, 202, j.toJson());
                    } else {
                        json(
                                rc,
                                409,
                                error(
                                        "fine-tune "
                                                + j.id()
                                                + " can no longer be cancelled: it has ended or"
                                                + " its outcome is being applied (state "
                                                + j.state().name().toLowerCase(Locale.ROOT)
                                                + ")"));
                    }
                });
    }

    /** Runs {@code action} on the job named by the path, or answers 404. */
    private void withJob(RoutingContext rc, Consumer<FineTuneJob> action) {
        String id = rc.pathParam("id");
        svc(rc).ifPresent(
                        s ->
                                s.job(id)
                                        .ifPresentOrElse(
                                                action,
                                                () ->
                                                        json(
                                                                rc,
                                                                404,
                                                                error(
                                                                        "no fine-tune job '"
                                                                                + id
                                                                                + "'"))));
    }

    private void activate(RoutingContext rc) {
        Optional<FineTuneService> s = svc(rc);
        if (s.isEmpty()) {
            return;
        }
        String version;
        try {
            version = rc.body().asJsonObject().getString("version");
        } catch (RuntimeException e) {
            version = null;
        }
        if (version == null || version.isBlank()) {
            json(rc, 400, error("the body must be {\"version\": \"<kept version>\"}"));
            return;
        }
        String v = version;
        vertx.<Void>executeBlocking(
                        () -> {
                            s.get().activate(v, "activated through POST /api/models/activate");
                            return null;
                        })
                .onSuccess(x -> json(rc, 200, new JsonObject().put("serving", v)))
                .onFailure(
                        err -> {
                            if (err instanceof BadInputException bad) {
                                metrics.badInput(bad.reason());
                                json(
                                        rc,
                                        422,
                                        error(
                                                "version '"
                                                        + v
                                                        + "' cannot be loaded, the model in service"
                                                        + " stays: "
                                                        + err.getMessage()));
                            } else {
                                json(
                                        rc,
                                        err instanceof IllegalArgumentException ? 404 : 500,
                                        error(err.getMessage()));
                            }
                        });
    }
}

package dev.fusionnode.http;

import static dev.fusionnode.http.JsonReplies.error;
import static dev.fusionnode.http.JsonReplies.json;

import dev.fusionnode.inference.ServedModel;
import dev.fusionnode.ingest.IngestWebSocket;
import dev.fusionnode.learning.FineTuneService;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.publish.foxglove.FoxgloveServer;
import dev.fusionnode.publish.foxglove.FoxgloveStage;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The node's HTTP base: {@code GET /health/live}, {@code GET /health/ready}, {@code GET /metrics}
 * (Prometheus text format), {@code GET /api/status}, and replay controls {@code POST
 * /api/replay/{pause|resume|seek|rate}}. Binds to loopback unless configured otherwise.
 */
public final class HttpServerVerticle extends VerticleBase {
    /** Largest accepted request body. */
    public static final long MAX_BODY_BYTES = 64 * 1024;

    /**
     * Largest WebSocket message Vert.x assembles; beyond it the connection is closed (1009). The
     * Foxglove server answers messages above its own 64 KiB limit with an error status.
     */
    public static final int MAX_WS_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final HttpOptions options;
    private final AccessControl access;
    private final PrometheusMeterRegistry registry;
    private final StatusRegistry status;
    private final BooleanSupplier ready;
    private final Supplier<Optional<ServedModel>> model;
    private final NodeMetrics metrics;
    private final Supplier<Optional<FineTuneService>> training;
    private final FoxgloveStage foxglove;
    private HttpServer server;

    /**
     * @param model the model in service, for {@code /api/models}
     * @param metrics counts WebSocket drops and bad client messages
     * @param training the fine-tune service, when on-vehicle learning runs
     * @param security the API token and what it protects
     * @param foxglove the Foxglove WebSocket stage, served on {@code /ws}
     */
    public HttpServerVerticle(
            HttpOptions options,
            PrometheusMeterRegistry registry,
            StatusRegistry status,
            BooleanSupplier ready,
            Supplier<Optional<ServedModel>> model,
            NodeMetrics metrics,
            Supplier<Optional<FineTuneService>> training,
            SecurityOptions security,
            FoxgloveStage foxglove) {
        this.foxglove = foxglove;
        this.access = new AccessControl(security);
        this.metrics = metrics;
        this.training = training;
        this.options = options;
        this.registry = registry;
        this.status = status;
        this.ready = ready;
        this.model = model;
    }

    /** {@inheritDoc} */
    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.route().order(-1).handler(access);
        metrics.gauge(NodeMetrics.HTTP_REFUSED, "http", access::refused);
        TrainingRoutes learning = new TrainingRoutes(vertx, training, metrics);
        learning.mountUploads(router);
        // a body over its limit is an answer, not an error of the node
        router.errorHandler(
                413,
                rc ->
                        json(
                                rc,
                                413,
                                new JsonObject()
                                        .put(
                                                "error",
                                                "the request body is larger than this endpoint"
                                                        + " takes (64 KiB of JSON; annotation"
                                                        + " uploads 64 MiB)")));
        // multipart bodies (files) only where files are taken: elsewhere 415, before any parsing
        router.route()
                .handler(
                        rc -> {
                            String type = rc.request().getHeader("content-type");
                            if (type != null
                                    && type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
                                json(
                                        rc,
                                        415,
                                        new JsonObject()
                                                .put(
                                                        "error",
                                                        "multipart bodies are taken only by POST"
                                                                + " /api/annotations"));
                                return;
                            }
                            rc.next();
                        });
        // JSON bodies: size-limited, never written to disk; a WebSocket upgrade has no body to
        // read (reading it first made the handshake fail with 500 for java.net.http clients)
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.route()
                .handler(
                        rc -> {
                            if (WebSocketGate.isUpgrade(rc)) {
                                rc.next();
                            } else {
                                bodies.handle(rc);
                            }
                        });
        router.get("/health/live")
                .handler(rc -> json(rc, 200, new JsonObject().put("status", "UP")));
        router.get("/health/ready")
                .handler(
                        rc -> {
                            boolean ok = ready.getAsBoolean();
                            json(
                                    rc,
                                    ok ? 200 : 503,
                                    new JsonObject().put("status", ok ? "UP" : "DOWN"));
                        });
        router.get("/metrics")
                .handler(
                        rc ->
                                rc.response()
                                        .putHeader(
                                                "content-type",
                                                "text/plain; version=0.0.4; charset=utf-8")
                                        .end(registry.scrape()));
        router.get("/api/status").handler(rc -> json(rc, 200, status.snapshot()));
        router.post("/api/replay/:action").handler(this::replayControl);
        WebSocketGate gate = new WebSocketGate(options.maxWebSocketClients(), metrics);
        status.register(
                "http",
                () ->
                        gate.statusJson()
                                .put("tokenRequired", access.tokenRequired())
                                .put("readsNeedToken", access.readsNeedToken()));
        router.route(FoxgloveStage.PATH)
                .handler(gate.upgrade(foxglove::accept, FoxgloveServer.EXPECTED));
        router.route(IngestWebSocket.PATH)
                .handler(gate.upgrade(new IngestWebSocket(vertx), IngestWebSocket.EXPECTED));
        learning.mount(router);
        new ApiRoutes(
                        vertx,
                        model,
                        () -> training.get().map(FineTuneService::registry),
                        () -> training.get().map(t -> t.startingMasks().classesJson()))
                .mount(router);
        server =
                vertx.createHttpServer(
                        new HttpServerOptions()
                                // HTTP/1.1 only: a client's h2c upgrade (the JDK's HttpClient asks
                                // for it by default) is declined; an upgraded connection once left
                                // a large /metrics answer unfinished for good
                                .setHttp2ClearTextEnabled(false)
                                .addWebSocketSubProtocol(FoxgloveServer.SUBPROTOCOL)
                                .setMaxWebSocketMessageSize(MAX_WS_MESSAGE_BYTES));
        return server.requestHandler(router)
                .listen(options.port(), options.host())
                .recover(
                        err ->
                                Future.failedFuture(
                                        new IllegalStateException(
                                                "HTTP cannot listen on "
                                                        + options.host()
                                                        + ":"
                                                        + options.port()
                                                        + " (http.host, http.port): "
                                                        + err.getMessage(),
                                                err)));
    }

    /** The bound port (useful when configured as 0). */
    public int actualPort() {
        return server.actualPort();
    }

    private void replayControl(RoutingContext rc) {
        JsonObject req = new JsonObject().put("action", rc.pathParam("action"));
        String frame = rc.queryParams().get("frame");
        String value = rc.queryParams().get("value");
        try {
            if (frame != null) {
                req.put("frame", Integer.parseInt(frame));
            }
        } catch (NumberFormatException e) {
            error(rc, 400, "frame must be an integer, got '" + frame + "'");
            return;
        }
        if (value != null) {
            req.put("value", value);
        }
        vertx.eventBus()
                .<JsonObject>request(Addresses.REPLAY_CONTROL, req)
                .onSuccess(reply -> json(rc, 200, reply.body()))
                .onFailure(
                        err -> {
                            int code =
                                    err instanceof ReplyException re && re.failureCode() == 400
                                            ? 400
                                            : 503;
                            String msg =
                                    code == 503 ? "no replay source is running" : err.getMessage();
                            error(rc, code, msg);
                        });
    }
}

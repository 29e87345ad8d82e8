package dev.fusionnode.http;

import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.Transport;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the WebSocket clients of the HTTP server ({@code /ws} and {@code /ingest} together): an
 * upgrade while {@code http.maxWebSocketClients} are open is answered 503 with {@code Retry-After}
 * and counted; a slot is free again when its WebSocket ends. Thread-safe.
 */
final class WebSocketGate {
    private final int max;
    private final NodeMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    WebSocketGate(int max, NodeMetrics metrics) {
        this.max = max;
        this.metrics = metrics;
    }

    /** Whether the request asks for a WebSocket. */
    static boolean isUpgrade(RoutingContext rc) {
        return "websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"));
    }

    /**
     * The route of a WebSocket endpoint: refuses a request that is no upgrade (400, telling what
     * {@code expected}) or one over the bound (503), upgrades the others and hands them to {@code
     * endpoint}; the slot is free again when the WebSocket ends.
     */
    Handler<RoutingContext> upgrade(Handler<ServerWebSocket> endpoint, String expected) {
        return rc -> {
            if (!isUpgrade(rc)) {
                JsonReplies.error(rc, 400, expected + " is expected");
                return;
            }
            if (open.incrementAndGet() > max) {
                open.decrementAndGet();
                refused.incrementAndGet();
                metrics.connectionRefused(Transport.WEBSOCKET);
                rc.response().putHeader("Retry-After", "5");
                JsonReplies.error(
                        rc,
                        503,
                        max
                                + " WebSocket clients are connected, the most this node takes"
                                + " (http.maxWebSocketClients); try again later");
                return;
            }
            AtomicBoolean held = new AtomicBoolean(true);
            Runnable release =
                    () -> {
                        if (held.getAndSet(false)) {
                            open.decrementAndGet();
                        }
                    };
            rc.request()
                    .toWebSocket()
                    .onSuccess(
                            ws -> {
                                ws.endHandler(v -> release.run());
                                endpoint.handle(ws);
                            })
                    .onFailure(
                            err -> {
                                release.run();
                                if (!rc.response().ended()) {
                                    JsonReplies.error(rc, 400, expected + " is expected");
                                }
                            });
        };
    }

    /** Open and refused WebSocket clients (status section {@code http}). */
    JsonObject statusJson() {
        return new JsonObject()
                .put("webSocketClients", open.get())
                .put("maxWebSocketClients", max)
                .put("webSocketRefused", refused.get());
    }
}

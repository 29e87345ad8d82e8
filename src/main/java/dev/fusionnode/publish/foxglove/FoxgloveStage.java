package dev.fusionnode.publish.foxglove;

import dev.fusionnode.pipeline.ImageDemand;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * The Foxglove WebSocket transport as a stage of its own: it takes every encoded frame and serves
 * the Foxglove protocol on {@code /ws} of the node's HTTP server ({@link #accept}); status section
 * {@code websocket}.
 */
public final class FoxgloveStage extends Stage {
    /** The path on the HTTP server. */
    public static final String PATH = "/ws";

    private final int clientQueueBytes;
    private final ImageDemand demand;
    private volatile FoxgloveServer server;

    /**
     * @param clientQueueBytes bytes waiting for one client before its messages are dropped
     */
    public FoxgloveStage(
            int clientQueueBytes, ImageDemand demand, NodeMetrics metrics, StatusRegistry status) {
        super("websocket", metrics, status);
        this.clientQueueBytes = clientQueueBytes;
        this.demand = demand;
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> startStage() {
        server = new FoxgloveServer(vertx, metrics, clientQueueBytes, demand);
        return Future.succeededFuture();
    }

    /** Serves a client that has upgraded on {@link #PATH} (once this stage has started). */
    public void accept(ServerWebSocket ws) {
        server.accept(ws);
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        FoxgloveServer s = server;
        return new JsonObject()
                .put("path", PATH)
                .put("clients", s == null ? 0 : s.clients())
                .put("subscriptions", s == null ? 0 : s.subscriptions());
    }
}

package dev.fusionnode.ingest;

import dev.fusionnode.pipeline.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.ServerWebSocket;

/**
 * {@code /ingest}: a WebSocket whose binary messages are pushed sensor messages ({@link
 * PushMessage}), each handed to the {@link PushIngestVerticle} with its source (peer and message
 * number) for error reports; a text message closes the socket (1003).
 */
public final class IngestWebSocket implements Handler<ServerWebSocket> {
    /** The path the HTTP server mounts it on. */
    public static final String PATH = "/ingest";

    /** What a request to {@code /ingest} that is not a WebSocket upgrade is told. */
    public static final String EXPECTED = "a WebSocket upgrade";

    private final Vertx vertx;

    /** A handler that sends on {@code vertx}'s event bus. */
    public IngestWebSocket(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Serves a client that has upgraded on {@link #PATH}. */
    @Override
    public void handle(ServerWebSocket ws) {
        String peer = "WebSocket " + PATH + " " + ws.remoteAddress() + " #";
        long[] n = {0};
        ws.binaryMessageHandler(
                b ->
                        vertx.eventBus()
                                .send(
                                        Addresses.INGEST_PUSH,
                                        b,
                                        new DeliveryOptions().addHeader("source", peer + n[0]++)));
        ws.textMessageHandler(t -> ws.close((short) 1003, "binary FNS1 sensor messages only"));
    }
}

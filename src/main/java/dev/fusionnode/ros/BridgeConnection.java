package dev.fusionnode.ros;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection to a server of the Foxglove WebSocket protocol ({@code
 * foxglove.websocket.v1}), such as ROS 2's {@code foxglove_bridge} on a vehicle: connects, hands
 * the server's JSON operations and binary messages to a {@link Listener}, and reconnects after a
 * loss with exponential backoff ({@link Backoff}). Runs on the event loop of the verticle that
 * starts it; {@link #send} and {@link #sendBinary} are called there too.
 */
public final class BridgeConnection {
    /** The protocol's WebSocket subprotocol. */
    public static final String SUBPROTOCOL = "foxglove.websocket.v1";

    private static final Logger LOG = LoggerFactory.getLogger(BridgeConnection.class);

    /** What the connection tells its owner (on the owner's event loop). */
    public interface Listener {
        /** Connected (again): nothing was subscribed or advertised on this connection yet. */
        void connected();

        /** A JSON operation of the server ({@code op}: serverInfo, advertise, status, ...). */
        void operation(JsonObject op);

        /** A binary message of the server (its first byte is the opcode). */
        void binary(Buffer message);

        /** Lost, or could not connect; a reconnect is scheduled. */
        void disconnected(String why);

        /** A text frame that is not a JSON object: counted by the owner. */
        void malformed(String why);
    }

    private final Vertx vertx;
    private final BridgeEndpoint endpoint;
    private final Listener listener;
    private final Backoff backoff;
    private final WebSocketClient client;
    private final AtomicLong connects = new AtomicLong();
    private volatile WebSocket socket;
    private volatile String lastError = "";
    private boolean stopped;
    private long retryTimer = -1;

    /**
     * @param endpoint where to connect and how large a message may be
     * @param backoff the reconnect delays
     */
    public BridgeConnection(
            Vertx vertx, BridgeEndpoint endpoint, Backoff backoff, Listener listener) {
        this.vertx = vertx;
        this.endpoint = endpoint;
        this.listener = listener;
        this.backoff = backoff;
        this.client =
                vertx.createWebSocketClient(
                        new WebSocketClientOptions()
                                .setMaxFrameSize(endpoint.maxMessageBytes())
                                .setMaxMessageSize(endpoint.maxMessageBytes())
                                .setConnectTimeout(5000));
    }

    /** Starts connecting. */
    public void start() {
        connect();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        WebSocketConnectOptions o =
                new WebSocketConnectOptions()
                        .setAbsoluteURI(endpoint.url())
                        .addSubProtocol(SUBPROTOCOL);
        client.connect(o)
                .onSuccess(
                        ws -> {
                            if (stopped) {
                                ws.close();
                                return;
                            }
                            socket = ws;
                            connects.incrementAndGet();
                            backoff.reset();
                            lastError = "";
                            LOG.info("connected to the bridge at {}", endpoint.url());
                            ws.textMessageHandler(this::text);
                            ws.binaryMessageHandler(listener::binary);
                            ws.exceptionHandler(e -> lastError = e.getMessage());
                            ws.closeHandler(
                                    v ->
                                            lost(
                                                    "closed"
                                                            + (ws.closeReason() == null
                                                                    ? ""
                                                                    : ": " + ws.closeReason())));
                            listener.connected();
                        })
                .onFailure(e -> lost("cannot connect: " + e.getMessage()));
    }

    private void text(String text) {
        JsonObject op;
        try {
            op = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            listener.malformed("a text message that is not a JSON object: " + e.getMessage());
            return;
        }
        listener.operation(op);
    }

    private void lost(String why) {
        socket = null;
        lastError = why;
        if (stopped) {
            return;
        }
        long delay = backoff.next();
        LOG.warn("bridge {}: {}; trying again in {} ms", endpoint.url(), why, delay);
        listener.disconnected(why);
        retryTimer =
                vertx.setTimer(
                        delay,
                        id -> {
                            retryTimer = -1;
                            connect();
                        });
    }

    /** Sends a JSON operation; false when not connected or the socket's write queue is full. */
    public boolean send(JsonObject op) {
        WebSocket ws = socket;
        if (ws == null || ws.writeQueueFull()) {
            return false;
        }
        ws.writeTextMessage(op.encode());
        return true;
    }

    /** Sends a binary message; false when not connected or the socket's write queue is full. */
    public boolean sendBinary(Buffer message) {
        WebSocket ws = socket;
        if (ws == null || ws.writeQueueFull()) {
            return false;
        }
        ws.writeBinaryMessage(message);
        return true;
    }

    /** Whether connected now. */
    public boolean connected() {
        return socket != null;
    }

    /** Successful connections so far. */
    public long connects() {
        return connects.get();
    }

    /** Why the last connection ended or failed ("" while connected). */
    public String lastError() {
        return lastError;
    }

    /** Closes the connection and stops reconnecting. */
    public Future<Void> stop() {
        stopped = true;
        if (retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
        }
        WebSocket ws = socket;
        Future<Void> closed = ws == null ? Future.succeededFuture() : ws.close();
        return closed.eventually(client::close);
    }
}

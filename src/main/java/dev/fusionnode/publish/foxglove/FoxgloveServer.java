package dev.fusionnode.publish.foxglove;

import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.ImageDemand;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Foxglove WebSocket protocol server ({@code foxglove.websocket.v1}) at {@code /ws}: {@code
 * serverInfo} first, then the channels of every camera seen (image, mask, overlay, LiDAR, meta;
 * JSON encoding with JSON schemas); clients subscribe and receive binary message frames {@code 0x01
 * | uint32 subscription id | uint64 receive time ns | JSON payload}. A client whose write queue is
 * full loses that message (counted, {@code transport=websocket}) and gets a warning at most once a
 * second; it never slows the pipeline or other clients. Malformed or unknown requests get a {@code
 * status} error and the connection stays open. Runs on the event loop of the HTTP server.
 */
public final class FoxgloveServer {
    /** The subprotocol. */
    public static final String SUBPROTOCOL = "foxglove.websocket.v1";

    private static final Logger LOG = LoggerFactory.getLogger(FoxgloveServer.class);
    private static final int LEVEL_WARNING = 1;
    private static final int LEVEL_ERROR = 2;

    /** Subscriptions one client may hold; more are refused with an error status. */
    public static final int MAX_SUBSCRIPTIONS_PER_CLIENT = 256;

    /** Largest client text message handled; larger ones get an error status. */
    public static final int MAX_CLIENT_MESSAGE_CHARS = 64 * 1024;

    private final NodeMetrics metrics;
    private final ImageDemand demand;
    private final int clientQueueBytes;
    private final List<Client> clients = new ArrayList<>();
    private final Map<String, Integer> cameras = new LinkedHashMap<>();

    /**
     * A server publishing the frames of {@link Addresses#ENCODED}.
     *
     * @param clientQueueBytes bytes waiting for one client before its messages are dropped
     */
    public FoxgloveServer(
            Vertx vertx, NodeMetrics metrics, int clientQueueBytes, ImageDemand demand) {
        this.metrics = metrics;
        this.demand = demand;
        this.clientQueueBytes = clientQueueBytes;
        vertx.eventBus().<EncodedFrame>localConsumer(Addresses.ENCODED, m -> publish(m.body()));
    }

    /** What a request to {@code /ws} that is not a WebSocket upgrade is told. */
    public static final String EXPECTED = "a WebSocket upgrade with subprotocol " + SUBPROTOCOL;

    /** Mounts {@code /ws} on {@code router} with no bound on clients (benchmarks). */
    public void mount(Router router) {
        router.route("/ws")
                .handler(
                        rc ->
                                rc.request()
                                        .toWebSocket()
                                        .onSuccess(this::accept)
                                        .onFailure(
                                                err -> {
                                                    if (!rc.response().ended()) {
                                                        rc.response()
                                                                .setStatusCode(400)
                                                                .end(EXPECTED + " is expected");
                                                    }
                                                }));
    }

    /** Connected clients. */
    public int clients() {
        return clients.size();
    }

    /** Subscriptions over all clients. */
    public int subscriptions() {
        int n = 0;
        for (Client c : clients) {
            n += c.subscriptions.size();
        }
        return n;
    }

    /** Serves a client that has upgraded on {@code /ws}. */
    public void accept(ServerWebSocket ws) {
        if (!SUBPROTOCOL.equals(ws.subProtocol())) {
            ws.close((short) 1002, "subprotocol " + SUBPROTOCOL + " required");
            return;
        }
        ws.setWriteQueueMaxSize(clientQueueBytes);
        Client c = new Client(ws);
        clients.add(c);
        ws.closeHandler(
                v -> {
                    clients.remove(c);
                    demandChanged();
                });
        ws.exceptionHandler(err -> LOG.debug("WebSocket client error: {}", err.toString()));
        ws.textMessageHandler(text -> c.onText(text));
        ws.binaryMessageHandler(
                b -> c.error("client messages are not supported (no clientPublish capability)"));
        ws.writeTextMessage(
                new JsonObject()
                        .put("op", "serverInfo")
                        .put("name", "fusion-node")
                        .put("capabilities", new JsonArray())
                        .put("supportedEncodings", new JsonArray().add("json"))
                        .put("metadata", new JsonObject().put("node", "fusion-node"))
                        .put("sessionId", Long.toString(System.currentTimeMillis()))
                        .encode());
        List<JsonObject> channels = new ArrayList<>();
        cameras.forEach((cam, idx) -> channels.addAll(FoxgloveChannels.advertise(idx, cam)));
        if (channels.isEmpty()) {
            channels.addAll(FoxgloveChannels.advertise(cameraIndex("front"), "front"));
        }
        c.advertise(channels);
    }

    private int cameraIndex(String camera) {
        return cameras.computeIfAbsent(camera, k -> cameras.size());
    }

    private void publish(EncodedFrame f) {
        boolean known = cameras.containsKey(f.cameraId());
        int cam = cameraIndex(f.cameraId());
        if (!known) {
            List<JsonObject> channels = FoxgloveChannels.advertise(cam, f.cameraId());
            clients.forEach(c -> c.advertise(channels));
        }
        Map<FoxgloveChannels.Kind, byte[]> payloads = new EnumMap<>(FoxgloveChannels.Kind.class);
        long now = System.currentTimeMillis() * 1_000_000L;
        for (Client c : List.copyOf(clients)) {
            for (var s : c.subscriptions.entrySet()) {
                FoxgloveChannels.Kind kind = kindOf(s.getValue(), cam);
                if (kind == null) {
                    continue;
                }
                if ((kind == FoxgloveChannels.Kind.IMAGE && f.cameraJpeg().length == 0)
                        || (kind == FoxgloveChannels.Kind.OVERLAY && f.overlayJpeg().length == 0)) {
                    continue; // encoded before this subscription was known: the next frame has it
                }
                byte[] payload =
                        payloads.computeIfAbsent(kind, k -> FoxgloveChannels.message(f, k));
                c.send(s.getKey(), now, payload);
            }
        }
    }

    /** Tells the encoder whether any client takes camera images or overlays now. */
    private void demandChanged() {
        boolean camera = false;
        boolean overlay = false;
        for (Client c : clients) {
            for (int channel : c.subscriptions.values()) {
                for (int cam : cameras.values()) {
                    FoxgloveChannels.Kind k = kindOf(channel, cam);
                    camera |= k == FoxgloveChannels.Kind.IMAGE;
                    overlay |= k == FoxgloveChannels.Kind.OVERLAY;
                }
            }
        }
        demand.want(ImageDemand.Kind.CAMERA, "websocket", camera);
        demand.want(ImageDemand.Kind.OVERLAY, "websocket", overlay);
    }

    private static FoxgloveChannels.Kind kindOf(int channel, int cam) {
        for (FoxgloveChannels.Kind k : FoxgloveChannels.Kind.values()) {
            if (FoxgloveChannels.id(cam, k) == channel) {
                return k;
            }
        }
        return null;
    }

    private boolean channelExists(int channel) {
        for (int cam : cameras.values()) {
            if (kindOf(channel, cam) != null) {
                return true;
            }
        }
        return false;
    }

    /** One connection: its subscriptions (subscription id -> channel id) and drop warnings. */
    private final class Client {
        private final ServerWebSocket ws;
        private final Map<Integer, Integer> subscriptions = new HashMap<>();
        private long lastWarningMs;
        private long dropped;

        Client(ServerWebSocket ws) {
            this.ws = ws;
        }

        void advertise(List<JsonObject> channels) {
            ws.writeTextMessage(
                    new JsonObject()
                            .put("op", "advertise")
                            .put("channels", new JsonArray(new ArrayList<>(channels)))
                            .encode());
        }

        void onText(String text) {
            if (text.length() > MAX_CLIENT_MESSAGE_CHARS) {
                error(
                        "message of "
                                + text.length()
                                + " characters is larger than the limit of "
                                + MAX_CLIENT_MESSAGE_CHARS);
                return;
            }
            JsonObject msg;
            try {
                msg = new JsonObject(text);
            } catch (DecodeException | ClassCastException e) {
                error("invalid JSON: " + e.getMessage());
                return;
            }
            String op = msg.getValue("op") instanceof String s ? s : null;
            if (op == null) {
                error("a message needs a string 'op'");
                return;
            }
            switch (op) {
                case "subscribe" -> subscribe(msg);
                case "unsubscribe" -> unsubscribe(msg);
                default -> error("unsupported op '" + op + "'");
            }
        }

        /**
         * Takes the valid entries of a subscribe; the invalid ones get one error status for the
         * whole message (a message full of bad entries is one reply, not one per entry).
         */
        private void subscribe(JsonObject msg) {
            JsonArray subs = msg.getValue("subscriptions") instanceof JsonArray a ? a : null;
            if (subs == null) {
                error("subscribe needs a 'subscriptions' array");
                return;
            }
            Problems problems = new Problems();
            for (Object o : subs) {
                if (!(o instanceof JsonObject s)
                        || !(s.getValue("id") instanceof Number id)
                        || !(s.getValue("channelId") instanceof Number channel)) {
                    problems.add("each subscription needs integer 'id' and 'channelId', got " + o);
                } else if (subscriptions.containsKey(id.intValue())) {
                    problems.add("subscription id " + id + " is already in use");
                } else if (!channelExists(channel.intValue())) {
                    problems.add("channel " + channel + " is not advertised");
                } else if (subscriptions.size() >= MAX_SUBSCRIPTIONS_PER_CLIENT) {
                    problems.add(
                            "a client holds at most "
                                    + MAX_SUBSCRIPTIONS_PER_CLIENT
                                    + " subscriptions");
                } else {
                    subscriptions.put(id.intValue(), channel.intValue());
                }
            }
            problems.report(this, LEVEL_ERROR);
            demandChanged();
        }

        private void unsubscribe(JsonObject msg) {
            JsonArray ids = msg.getValue("subscriptionIds") instanceof JsonArray a ? a : null;
            if (ids == null) {
                error("unsubscribe needs a 'subscriptionIds' array");
                return;
            }
            Problems problems = new Problems();
            for (Object o : ids) {
                if (!(o instanceof Number id) || subscriptions.remove(id.intValue()) == null) {
                    problems.add("no subscription " + o + " to remove");
                }
            }
            problems.report(this, LEVEL_WARNING);
            demandChanged();
        }

        void send(int subscription, long receiveNs, byte[] payload) {
            if (ws.isClosed()) {
                return;
            }
            if (ws.writeQueueFull()) {
                dropped++;
                metrics.publishDropped(Transport.WEBSOCKET);
                long now = System.currentTimeMillis();
                if (now - lastWarningMs >= 1000) {
                    lastWarningMs = now;
                    write(
                            LEVEL_WARNING,
                            "client too slow: " + dropped + " messages dropped so far");
                }
                return;
            }
            Buffer b = Buffer.buffer(13 + payload.length);
            b.appendByte((byte) 0x01);
            b.appendIntLE(subscription);
            b.appendLongLE(receiveNs);
            b.appendBytes(payload);
            ws.writeBinaryMessage(b);
        }

        void error(String message) {
            metrics.badInput(BadInputReason.MALFORMED_CLIENT_MESSAGE);
            status(LEVEL_ERROR, message);
        }

        /**
         * Replies to the client's own message unless it is not reading: replies share the client's
         * bounded write queue with the data, and a client whose queue is full gets none.
         */
        void status(int level, String message) {
            if (!ws.writeQueueFull()) {
                write(level, message);
            }
        }

        /** Writes a status message (the slow-client warning, at most one a second, always). */
        private void write(int level, String message) {
            if (!ws.isClosed()) {
                ws.writeTextMessage(
                        new JsonObject()
                                .put("op", "status")
                                .put("level", level)
                                .put("message", message)
                                .encode());
            }
        }
    }

    /** The problems of one client message: the first few named, the rest counted. */
    private static final class Problems {
        private static final int NAMED = 3;
        private final List<String> named = new ArrayList<>();
        private int count;

        void add(String problem) {
            if (count++ < NAMED) {
                named.add(problem);
            }
        }

        void report(Client client, int level) {
            if (count == 0) {
                return;
            }
            String text =
                    String.join("; ", named)
                            + (count > NAMED ? " (and " + (count - NAMED) + " more)" : "");
            if (level == LEVEL_ERROR) {
                client.error(text);
            } else {
                client.status(level, text);
            }
        }
    }
}

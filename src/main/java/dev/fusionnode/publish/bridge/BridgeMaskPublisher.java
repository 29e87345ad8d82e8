package dev.fusionnode.publish.bridge;

import dev.fusionnode.bridge.BridgeOptions;
import dev.fusionnode.bridge.RosFrameIds;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.pipeline.Transport;
import dev.fusionnode.ros.BridgeConnection;
import dev.fusionnode.ros.MessageEncoder;
import dev.fusionnode.ros.RosSchemas;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each segmented frame's mask to ROS 2 through a {@code foxglove_bridge}: on a connection
 * of its own, it advertises one channel per camera ({@code bridge.maskTopic}, {@code cdr}, {@code
 * sensor_msgs/msg/Image} with its {@code ros2msg} schema) when the bridge offers {@code
 * clientPublish}, and sends every mask as a {@code mono8} image with its camera image's stamp and
 * ROS frame id, so that ROS 2 nodes subscribe to {@code /fusion/<camera>/mask}. Masks are live
 * data: one that finds the bridge away or its socket's queue full is not sent and is counted in the
 * status, never queued.
 */
public final class BridgeMaskPublisher extends Stage {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeMaskPublisher.class);

    /** The protocol's client binary opcode of a published message. */
    static final int CLIENT_MESSAGE_DATA = 1;

    private final BridgeOptions options;
    private final RosFrameIds frameIds;
    private final Map<String, Integer> channelOf = new HashMap<>();
    private BridgeConnection connection;
    private boolean canPublish;
    private volatile long published;
    private volatile long dropped;
    private volatile String state = "connecting";

    /**
     * @param options the {@code bridge} block
     * @param frameIds each camera's ROS frame id, as its images came (the masks carry it)
     */
    public BridgeMaskPublisher(
            BridgeOptions options,
            RosFrameIds frameIds,
            NodeMetrics metrics,
            StatusRegistry status) {
        super("bridgeMasks", metrics, status);
        this.options = options;
        this.frameIds = frameIds;
    }

    @Override
    protected Future<?> startStage() {
        connection =
                new BridgeConnection(
                        vertx,
                        options.endpoint(),
                        options.backoff(),
                        new BridgeConnection.Listener() {
                            @Override
                            public void connected() {
                                channelOf.clear();
                                canPublish = false;
                                state = "connected, waiting for the server's info";
                            }

                            @Override
                            public void operation(JsonObject op) {
                                if ("serverInfo".equals(op.getValue("op"))) {
                                    JsonArray caps =
                                            op.getJsonArray("capabilities", new JsonArray());
                                    canPublish = caps.contains("clientPublish");
                                    state =
                                            canPublish
                                                    ? "publishing"
                                                    : "the bridge does not offer clientPublish";
                                    if (!canPublish) {
                                        LOG.warn(
                                                "bridge {} does not offer clientPublish: masks are"
                                                        + " not published to it",
                                                options.url().orElse(""));
                                    }
                                }
                            }

                            @Override
                            public void binary(Buffer message) {
                                // nothing subscribed on this connection
                            }

                            @Override
                            public void disconnected(String why) {
                                canPublish = false;
                                state = "disconnected: " + why;
                            }

                            @Override
                            public void malformed(String why) {
                                LOG.debug("bridge text message ignored: {}", why);
                            }
                        });
        connection.start();
        return vertx.eventBus()
                .<EncodedFrame>localConsumer(Addresses.ENCODED, m -> publish(m.body()))
                .completion();
    }

    @Override
    protected Future<?> stopStage() {
        return connection == null ? Future.succeededFuture() : connection.stop();
    }

    private void publish(EncodedFrame e) {
        if (!canPublish) {
            drop();
            return;
        }
        Integer channel = channelOf.get(e.cameraId());
        if (channel == null) {
            channel = channelOf.size() + 1;
            JsonObject advertise =
                    new JsonObject()
                            .put("op", "advertise")
                            .put(
                                    "channels",
                                    new JsonArray()
                                            .add(
                                                    new JsonObject()
                                                            .put("id", channel)
                                                            .put(
                                                                    "topic",
                                                                    options.maskTopicOf(
                                                                            e.cameraId()))
                                                            .put("encoding", "cdr")
                                                            .put("schemaName", RosSchemas.IMAGE)
                                                            .put(
                                                                    "schema",
                                                                    RosSchemas.text(
                                                                            RosSchemas.IMAGE))
                                                            .put("schemaEncoding", "ros2msg")));
            if (!connection.send(advertise)) {
                drop();
                return;
            }
            channelOf.put(e.cameraId(), channel);
            LOG.info("bridge: advertised {}", options.maskTopicOf(e.cameraId()));
        }
        int id = channel;
        // the CDR copy of a mask is a memory copy; encoded on the event loop, it costs no hop
        byte[] cdr =
                MessageEncoder.image(
                        e.captureTimeNs(), frameIds.of(e.cameraId()), e.frame().mask());
        Buffer b = Buffer.buffer(5 + cdr.length);
        b.appendUnsignedByte((short) CLIENT_MESSAGE_DATA).appendUnsignedIntLE(id).appendBytes(cdr);
        if (connection.sendBinary(b)) {
            published++;
        } else {
            drop();
        }
    }

    /** A mask this transport did not deliver (the frame itself was published elsewhere). */
    private void drop() {
        dropped++;
        metrics.publishDropped(Transport.BRIDGE);
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        return new JsonObject()
                .put("url", options.url().orElse(""))
                .put("state", state)
                .put("published", published)
                .put("dropped", dropped);
    }
}

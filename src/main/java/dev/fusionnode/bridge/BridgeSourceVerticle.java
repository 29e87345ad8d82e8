package dev.fusionnode.bridge;

import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.CreditWindow;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.FrameDone;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.ros.BridgeConnection;
import dev.fusionnode.ros.SensorMessages;
import dev.fusionnode.ros.TopicDefaults;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live ROS 2 topics from a {@code foxglove_bridge} (Foxglove WebSocket protocol, {@code cdr}
 * channels) as the node's sensors: subscribes to the mapped camera and scan topics ({@link
 * BridgeChannels}), decodes each message on a worker in arrival order, and publishes camera frames
 * (admitted by credits, as pushed sensors are: a live source cannot wait) and scans; the cameras'
 * {@code CameraInfo} with {@code /tf_static} and {@code /tf} calibrate the node ({@link
 * LiveCalibration}). Malformed messages are counted ({@code malformed_ros_message}, {@code
 * malformed_client_message} for the protocol) and logged, never fatal; a lost bridge is reconnected
 * with backoff.
 */
public final class BridgeSourceVerticle extends Stage {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeSourceVerticle.class);

    /** The protocol's binary opcode of a message on a subscription. */
    static final int MESSAGE_DATA = 1;

    private final BridgeOptions options;
    private final CreditWindow credits;
    private final RosFrameIds frameIds;
    private final BridgeChannels channels;
    private final LiveCalibration calibration = new LiveCalibration();
    private final Map<String, Long> seq = new HashMap<>();
    private BridgeConnection connection;
    private boolean warnedMapping;
    private volatile long cameras;
    private volatile long scans;
    private volatile long calibrations;
    private volatile long bad;
    private volatile long noCredit;
    private volatile String lastError = "";
    private volatile JsonObject subscribedView = new JsonObject();
    private volatile int advertised;

    /**
     * @param options the {@code bridge} block
     * @param maxInFlight camera frames of the bridge in the pipeline at once ({@code
     *     pipeline.maxInFlight}); one more without a free credit is dropped and counted
     * @param frameIds where the cameras' ROS frame ids are kept for the mask publisher
     */
    public BridgeSourceVerticle(
            BridgeOptions options,
            int maxInFlight,
            RosFrameIds frameIds,
            NodeMetrics metrics,
            StatusRegistry status) {
        super("bridge", metrics, status);
        this.options = options;
        this.frameIds = frameIds;
        this.credits = new CreditWindow(maxInFlight);
        this.channels = new BridgeChannels(options.topics());
    }

    @Override
    protected Future<?> startStage() {
        vertx.eventBus()
                .<FrameDone>localConsumer(Addresses.FRAME_DONE, m -> credits.returned(m.body()));
        connection =
                new BridgeConnection(
                        vertx,
                        options.endpoint(),
                        options.backoff(),
                        new BridgeConnection.Listener() {
                            @Override
                            public void connected() {
                                channels.clear();
                                viewChanged();
                            }

                            @Override
                            public void operation(JsonObject op) {
                                onOperation(op);
                            }

                            @Override
                            public void binary(Buffer message) {
                                onBinary(message);
                            }

                            @Override
                            public void disconnected(String why) {
                                lastError = why;
                            }

                            @Override
                            public void malformed(String why) {
                                refuse(BadInputReason.MALFORMED_CLIENT_MESSAGE, why);
                            }
                        });
        connection.start();
        return Future.succeededFuture();
    }

    @Override
    protected Future<?> stopStage() {
        return connection == null ? Future.succeededFuture() : connection.stop();
    }

    private void onOperation(JsonObject op) {
        String name = String.valueOf(op.getValue("op"));
        switch (name) {
            case "serverInfo" -> {
                JsonArray encodings = op.getJsonArray("supportedEncodings", null);
                if (encodings != null && !encodings.contains("cdr")) {
                    LOG.warn(
                            "bridge {} offers encodings {}, not cdr: its ROS 2 topics cannot be"
                                    + " read",
                            options.url().orElse(""),
                            encodings);
                }
            }
            case "advertise" -> {
                JsonArray list = op.getJsonArray("channels", new JsonArray());
                channels.advertised(list)
                        .forEach(p -> refuse(BadInputReason.MALFORMED_CLIENT_MESSAGE, p));
                subscribe();
                viewChanged();
            }
            case "unadvertise" -> {
                channels.unadvertised(op.getJsonArray("channelIds", new JsonArray()));
                viewChanged();
            }
            case "status" -> {
                if (op.getInteger("level", 0) >= 1) {
                    LOG.warn("bridge says: {}", op.getString("message"));
                }
            }
            default -> {
                // parameters, services, time: not used
            }
        }
    }

    private void subscribe() {
        if (channels.mapping().isEmpty()) {
            if (!warnedMapping) {
                warnedMapping = true;
                LOG.warn(
                        "bridge {} has {}; name the ones to take in bridge.topics (topic to sensor"
                                + " id)",
                        options.url().orElse(""),
                        TopicDefaults.describe(channels.cdrTypes()));
            }
            return;
        }
        List<BridgeChannels.Subscription> now = channels.subscribeNow();
        if (now.isEmpty()) {
            return;
        }
        JsonArray subs = new JsonArray();
        now.forEach(
                s ->
                        subs.add(
                                new JsonObject()
                                        .put("id", s.id())
                                        .put("channelId", s.channel().id())));
        connection.send(new JsonObject().put("op", "subscribe").put("subscriptions", subs));
        LOG.info("bridge: subscribed to {}", now.stream().map(s -> s.channel().topic()).toList());
    }

    private void onBinary(Buffer message) {
        if (message.length() < 1 || message.getUnsignedByte(0) != MESSAGE_DATA) {
            return; // time, service responses: not used
        }
        if (message.length() < 13) {
            refuse(
                    BadInputReason.MALFORMED_CLIENT_MESSAGE,
                    "a message of " + message.length() + " bytes has no room for its header");
            return;
        }
        int subscription = (int) message.getUnsignedIntLE(1);
        var sub = channels.subscription(subscription);
        if (sub.isEmpty()) {
            return; // a message of a subscription of an earlier connection, or not ours
        }
        BridgeChannels.Subscription s = sub.get();
        byte[] payload = message.getBytes(13, message.length());
        String origin = options.url().orElse("bridge") + " " + s.channel().topic();
        vertx.<BridgeMessage>executeBlocking(() -> BridgeMessage.decode(s, payload, origin), true)
                .onSuccess(o -> take(s, o))
                .onFailure(
                        e ->
                                refuse(
                                        e instanceof BadInputException b
                                                ? b.reason()
                                                : BadInputReason.MALFORMED_ROS_MESSAGE,
                                        e.getMessage()));
    }

    /** Publishes or keeps what a message said (event loop). */
    private void take(BridgeChannels.Subscription s, BridgeMessage decoded) {
        String origin = options.url().orElse("bridge") + " " + s.channel().topic();
        if (decoded instanceof BridgeMessage.CameraImage c) {
            SensorMessages.Stamped<Image> img = c.image();
            cameras++;
            frameIds.put(s.sensorId(), img.frameId());
            long n = seq.merge(s.sensorId(), 1L, Long::sum) - 1;
            CameraFrame f = new CameraFrame(s.sensorId(), n, img.stampNs(), img.value(), origin);
            if (!credits.tryAdmit(f.sensorId(), f.seq())) {
                noCredit++;
                metrics.frameDropped(DropReason.PIPELINE_LAG);
                return;
            }
            vertx.eventBus().publish(Addresses.CAMERA, f);
        } else if (decoded instanceof BridgeMessage.Scan scan) {
            scans++;
            long n = seq.merge(s.sensorId(), 1L, Long::sum) - 1;
            calibration.lidarFrame(s.sensorId(), scan.frameId());
            calibrate();
            vertx.eventBus()
                    .publish(
                            Addresses.LIDAR,
                            LidarScan.of(s.sensorId(), n, scan.stampNs(), scan.points(), origin));
        } else if (decoded instanceof BridgeMessage.CameraInfo info) {
            calibration.camera(s.sensorId(), info.info());
            calibrate();
        } else if (decoded instanceof BridgeMessage.Transforms t) {
            calibration.transforms(t.edges(), t.isStatic());
            calibrate();
        }
    }

    /** The status's copy of the channels (read from any thread). */
    private void viewChanged() {
        subscribedView = channels.describe();
        advertised = channels.advertisedCount();
    }

    private void calibrate() {
        for (CalibrationUpdate u : calibration.changes()) {
            calibrations++;
            LOG.info(
                    "bridge: calibration of {} against {} from the bridge",
                    u.cameraId(),
                    u.lidarId());
            vertx.eventBus().publish(Addresses.CALIBRATION, u);
        }
    }

    private void refuse(BadInputReason reason, String why) {
        bad++;
        lastError = why;
        metrics.badInput(reason);
        if (bad <= 10 || bad % 1000 == 0) {
            LOG.warn("bridge message refused [reason: {}]: {}", reason.asTag(), why);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        return new JsonObject()
                .put("url", options.url().orElse(""))
                .put("connected", connection != null && connection.connected())
                .put("connects", connection == null ? 0 : connection.connects())
                .put("advertised", advertised)
                .put("subscribed", subscribedView.copy())
                .put("cameraFrames", cameras)
                .put("scans", scans)
                .put("calibrations", calibrations)
                .put("inFlight", credits.inFlight())
                .put("droppedNoCredit", noCredit)
                .put("bad", bad)
                .put("lastError", lastError.isEmpty() ? null : lastError);
    }
}

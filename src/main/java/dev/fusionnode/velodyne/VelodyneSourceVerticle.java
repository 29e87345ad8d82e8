package dev.fusionnode.velodyne;

import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live Velodyne: listens for data packets (and position packets for the NMEA hour) on UDP,
 * decodes them on the event loop (a packet takes microseconds; see {@code benchmark velodyne}) and
 * publishes each turn as a {@link LidarScan} to {@link Addresses#LIDAR}, where replayed scans go.
 * Bad packets are counted by reason and logged (the first ten, then every thousandth); a turn in
 * progress is sent when the packets stop for {@code flushAfterMs}.
 */
public final class VelodyneSourceVerticle extends Stage {
    private static final Logger LOG = LoggerFactory.getLogger(VelodyneSourceVerticle.class);

    private final VelodyneOptions options;
    private VelodyneStream stream;
    private DatagramSocket data;
    private DatagramSocket position;
    private long lastPacketNs;
    private long bad;
    private long scans;
    private long lastPoints;
    private int dataPort;
    private String lastError = "";

    /**
     * @param options the {@code velodyne} block
     * @param metrics counters (packets, bad input by reason)
     * @param status the status page (section {@code velodyne})
     */
    public VelodyneSourceVerticle(
            VelodyneOptions options, NodeMetrics metrics, StatusRegistry status) {
        super("velodyne", metrics, status);
        this.options = options;
    }

    @Override
    protected Future<?> startStage() {
        stream =
                new VelodyneStream(
                        options.decoder(),
                        new VelodyneClock(
                                () -> System.currentTimeMillis() * 1_000_000L,
                                options.useGpsTime()),
                        options.sensorId(),
                        options.cutAngleDeg(),
                        options.stampAt());
        DatagramSocketOptions so =
                new DatagramSocketOptions().setReceiveBufferSize(options.receiveBufferBytes());
        if (options.positionPort() > 0) {
            metrics.sensorStarted(options.sensorId(), "data", "position");
        } else {
            metrics.sensorStarted(options.sensorId(), "data");
        }
        data = vertx.createDatagramSocket(so);
        data.handler(this::onData);
        Future<?> listening =
                data.listen(options.port(), options.host())
                        .onSuccess(s -> dataPort = s.localAddress().port());
        if (options.positionPort() > 0) {
            position = vertx.createDatagramSocket(new DatagramSocketOptions());
            position.handler(this::onPosition);
            listening =
                    listening.compose(v -> position.listen(options.positionPort(), options.host()));
        }
        vertx.setPeriodic(Math.max(10, options.flushAfterMs() / 2), id -> flushIfIdle());
        return listening.onSuccess(
                v ->
                        LOG.info(
                                "velodyne {}: listening on udp {}:{} (position: {})",
                                options.sensorId(),
                                options.host(),
                                dataPort,
                                options.positionPort() > 0 ? options.positionPort() : "off"));
    }

    /** The bound data port (the configured one, or the one picked for port 0). */
    public int dataPort() {
        return dataPort;
    }

    private void onData(DatagramPacket p) {
        lastPacketNs = System.nanoTime();
        metrics.sensorPacket(options.sensorId(), "data");
        Buffer b = p.data();
        byte[] bytes = b.getBytes();
        try {
            for (LidarScan scan : stream.data(bytes, 0, bytes.length, source(p))) {
                send(scan);
            }
        } catch (BadInputException e) {
            rejected(e);
        }
    }

    private void onPosition(DatagramPacket p) {
        metrics.sensorPacket(options.sensorId(), "position");
        byte[] bytes = p.data().getBytes();
        try {
            stream.position(bytes, 0, bytes.length, source(p));
        } catch (BadInputException e) {
            rejected(e);
        }
    }

    private void flushIfIdle() {
        if (stream.pending()
                && System.nanoTime() - lastPacketNs > options.flushAfterMs() * 1_000_000) {
            stream.flush("udp " + options.host() + ":" + dataPort + " (idle)")
                    .ifPresent(this::send);
        }
    }

    private void send(LidarScan scan) {
        scans++;
        lastPoints = scan.points().size();
        vertx.eventBus().publish(Addresses.LIDAR, scan);
    }

    private void rejected(BadInputException e) {
        metrics.badInput(e.reason());
        bad++;
        lastError = e.getMessage();
        if (bad <= 10 || bad % 1000 == 0) {
            LOG.warn(
                    "velodyne {}: {} (bad packets so far: {})",
                    options.sensorId(),
                    e.getMessage(),
                    bad);
        }
    }

    private String source(DatagramPacket p) {
        return "udp packet from "
                + p.sender().host()
                + ":"
                + p.sender().port()
                + " #"
                + (stream.packets() + bad + 1);
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        JsonObject j =
                new JsonObject()
                        .put("sensorId", options.sensorId())
                        .put("listening", options.host() + ":" + dataPort)
                        .put("packets", stream.packets())
                        .put("returns", stream.returns())
                        .put("badPackets", bad)
                        .put("scans", scans)
                        .put("lastScanPoints", lastPoints)
                        .put("clock", stream.clockSource())
                        .put(
                                "lastPacketAgoMs",
                                lastPacketNs == 0
                                        ? null
                                        : (System.nanoTime() - lastPacketNs) / 1_000_000);
        stream.lastPacket()
                .ifPresent(
                        i ->
                                j.put("model", i.model().displayName())
                                        .put("returnMode", i.mode().name().toLowerCase()));
        stream.lastPosition().ifPresent(pp -> j.put("pps", pp.ppsStatus()));
        if (!lastError.isEmpty()) {
            j.put("lastError", lastError);
        }
        return j;
    }

    @Override
    protected Future<?> stopStage() {
        Future<Void> closed = data == null ? Future.succeededFuture() : data.close();
        return position == null ? closed : closed.compose(v -> position.close());
    }
}

package dev.fusionnode.ingest;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.CreditWindow;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.FrameDone;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns pushed sensor messages ({@link PushMessage}, from MQTT {@code <prefix>/sensors/...} or the
 * {@code /ingest} WebSocket, both forwarded to {@link #ADDRESS}) into camera frames and scans on
 * the pipeline's addresses, in arrival order (images decode on a worker, ordered). Bad messages are
 * counted ({@code malformed_client_message}) and logged, never fatal.
 */
public final class PushIngestVerticle extends Stage {

    private static final Logger LOG = LoggerFactory.getLogger(PushIngestVerticle.class);

    /** The next sequence number of every sensor id taken; its keys are the ids taken. */
    private final Map<String, Long> seq = new ConcurrentHashMap<>();

    private final IngestOptions options;
    private final CreditWindow credits;
    private long refusedIds;
    private long noCredit;
    private long cameras;
    private long clouds;
    private long bad;
    private String lastError = "";

    /**
     * Ingest of pushed sensors.
     *
     * @param options which sensor ids are taken
     * @param maxInFlight camera frames of pushed sensors in the pipeline at once ({@code
     *     pipeline.maxInFlight}); one more without a free credit is dropped and counted ({@code
     *     pipeline_lag})
     */
    public PushIngestVerticle(
            IngestOptions options, int maxInFlight, NodeMetrics metrics, StatusRegistry status) {
        super("push", metrics, status);
        this.options = options;
        this.credits = new CreditWindow(maxInFlight);
    }

    @Override
    protected Future<?> startStage() {
        vertx.eventBus()
                .<FrameDone>localConsumer(Addresses.FRAME_DONE, m -> credits.returned(m.body()));
        return vertx.eventBus()
                .<Buffer>localConsumer(Addresses.INGEST_PUSH, this::onMessage)
                .completion();
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        return new JsonObject()
                .put("cameraFrames", cameras)
                .put("pointClouds", clouds)
                .put("bad", bad)
                .put("sensorIds", seq.size())
                .put("refusedSensorIds", refusedIds)
                .put("inFlight", credits.inFlight())
                .put("droppedNoCredit", noCredit)
                .put("lastError", lastError.isEmpty() ? null : lastError);
    }

    private void onMessage(Message<Buffer> m) {
        String source = m.headers().get("source");
        byte[] bytes = m.body().getBytes();
        vertx.<Object>executeBlocking(
                        () -> {
                            PushMessage p = PushMessage.parse(bytes, source);
                            long n = admit(p.sensorId(), source);
                            return switch (p.kind()) {
                                case CAMERA ->
                                        new CameraFrame(
                                                p.sensorId(),
                                                n,
                                                p.timeNs(),
                                                ImageCodec.decode(
                                                        p.payload(),
                                                        source,
                                                        ImageCodec.Channels.RGB),
                                                source);
                                case POINT_CLOUD ->
                                        LidarScan.of(
                                                p.sensorId(),
                                                n,
                                                p.timeNs(),
                                                new PointCloud(p.points()),
                                                source);
                            };
                        },
                        true)
                .onSuccess(
                        o -> {
                            if (o instanceof CameraFrame f) {
                                cameras++;
                                if (!credits.tryAdmit(f.sensorId(), f.seq())) {
                                    // a live sensor cannot wait: without a credit the frame goes
                                    noCredit++;
                                    metrics.frameDropped(DropReason.PIPELINE_LAG);
                                    return;
                                }
                                vertx.eventBus().publish(Addresses.CAMERA, f);
                            } else {
                                clouds++;
                                vertx.eventBus().publish(Addresses.LIDAR, o);
                            }
                        })
                .onFailure(
                        e -> {
                            bad++;
                            lastError = e.getMessage();
                            if (e instanceof BadInputException b) {
                                metrics.badInput(b.reason());
                            } else {
                                metrics.badInput(BadInputReason.MALFORMED_CLIENT_MESSAGE);
                            }
                            if (bad <= 10 || bad % 1000 == 0) {
                                LOG.warn("pushed sensor message refused: {}", e.getMessage());
                            }
                        });
    }

    /**
     * Takes the sensor id, or refuses the message (the ids taken are bounded), and numbers the
     * sensor's message.
     */
    private synchronized long admit(String sensorId, String source) {
        if (!options.admits(sensorId, seq.keySet())) {
            refusedIds++;
            throw new BadInputException(
                    BadInputReason.UNKNOWN_SENSOR,
                    source,
                    options.sensorIds().isEmpty()
                            ? "sensor id '"
                                    + sensorId
                                    + "' refused: "
                                    + options.maxSensorIds()
                                    + " sensor ids are taken already (ingest.maxSensorIds)"
                            : "sensor id '" + sensorId + "' is not in ingest.sensorIds");
        }
        return seq.merge(sensorId, 1L, Long::sum) - 1;
    }

    /**
     * True for a pushed sensor that the stall watch leaves alone: taken without being listed in
     * {@code ingest.sensorIds} (a sensor that pushed once and went away does not make the node
     * unready).
     */
    public boolean unwatched(String sensorId) {
        return seq.containsKey(sensorId) && !options.sensorIds().contains(sensorId);
    }
}

package dev.fusionnode.ingest;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
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

    private final Map<String, Long> seq = new HashMap<>();
    private long cameras;
    private long clouds;
    private long bad;
    private String lastError = "";

    /** Ingest with these counters and status page (section {@code push}). */
    public PushIngestVerticle(NodeMetrics metrics, StatusRegistry status) {
        super("push", metrics, status);
    }

    @Override
    protected Future<?> startStage() {
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
                .put("lastError", lastError.isEmpty() ? null : lastError);
    }

    private void onMessage(Message<Buffer> m) {
        String source = m.headers().get("source");
        byte[] bytes = m.body().getBytes();
        vertx.<Object>executeBlocking(
                        () -> {
                            PushMessage p = PushMessage.parse(bytes, source);
                            long n = next(p.sensorId());
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

    private synchronized long next(String sensor) {
        return seq.merge(sensor, 1L, Long::sum) - 1;
    }
}

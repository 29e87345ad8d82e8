package dev.fusionnode.cluster;

import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.FrameDone;
import dev.fusionnode.pipeline.StatusRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a worker node: takes fused frames from the cluster ({@link ClusterForwarderVerticle#FRAMES}),
 * hands them to the local pipeline (inference, encoding, publishing) as if they were fused here,
 * and answers each request when the local {@code FRAME_DONE} for that frame comes ({@code ok} or
 * {@code dropped}).
 */
public final class ClusterWorkerVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterWorkerVerticle.class);

    private final StatusRegistry status;
    private final Map<String, Message<Buffer>> pending = new HashMap<>();
    private long received;
    private long answered;
    private long bad;

    /** A worker with this status page (section {@code cluster}). */
    public ClusterWorkerVerticle(StatusRegistry status) {
        this.status = status;
    }

    @Override
    public Future<?> start() {
        status.register(
                "cluster",
                () ->
                        new JsonObject()
                                .put("role", "worker")
                                .put("received", received)
                                .put("answered", answered)
                                .put("pending", pending.size())
                                .put("bad", bad));
        vertx.eventBus().<FrameDone>localConsumer(Addresses.FRAME_DONE, m -> done(m.body()));
        return vertx.eventBus()
                .<Buffer>consumer(Addresses.CLUSTER_FRAMES, this::onFrame)
                .completion();
    }

    private void onFrame(Message<Buffer> m) {
        received++;
        long at = System.nanoTime();
        vertx.executeBlocking(() -> FusedFrameWire.decode(m.body().getBytes(), at), true)
                .onSuccess(
                        f -> {
                            pending.put(key(f.camera().sensorId(), f.camera().seq()), m);
                            vertx.eventBus().publish(Addresses.FUSED, f);
                        })
                .onFailure(
                        err -> {
                            bad++;
                            LOG.warn("cluster: a frame that does not decode: {}", err.getMessage());
                            m.fail(400, err.getMessage());
                        });
    }

    private void done(FrameDone d) {
        Message<Buffer> m = pending.remove(key(d.sensorId(), d.seq()));
        if (m != null) {
            answered++;
            m.reply(d.dropped() ? "dropped" : "ok");
        }
    }

    private static String key(String sensor, long seq) {
        return sensor + "#" + seq;
    }

    /** Frames received (for tests). */
    public long received() {
        return received;
    }
}

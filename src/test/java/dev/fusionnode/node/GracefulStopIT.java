package dev.fusionnode.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Stopping (what SIGTERM runs through the shutdown hook): the sources stop first, every frame
 * already delivered still gets its mask published, and the stop finishes within its bound.
 */
class GracefulStopIT {
    @Test
    void stopDrainsDeliveredFrames() throws Exception {
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microFusion())
                        .put("replay", NodeConfigs.sampleDrive(true).put("startPaused", true))
                        .put(
                                "pipeline",
                                new JsonObject().put("maxInFlight", 6).put("blockingThreads", 1))
                        .put("training", NodeConfigs.trainingOff());
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        AtomicLong cameras = new AtomicLong();
        AtomicLong masks = new AtomicLong();
        rt.vertx().eventBus().localConsumer(Addresses.CAMERA, m -> cameras.incrementAndGet());
        rt.vertx()
                .eventBus()
                .<EncodedFrame>localConsumer(Addresses.ENCODED, m -> masks.incrementAndGet());
        NodeConfigs.resume(rt); // counting from the first frame
        Await.until(() -> masks.get() >= 10, 120, "masks flowing");
        assertThat(rt.framesInFlight()).isPositive(); // frames are in the pipeline at the stop
        long t0 = System.nanoTime();
        rt.stop().await(NodeRuntime.DRAIN_MS / 1000 + 15, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(masks.get()).as("every delivered frame got its mask").isEqualTo(cameras.get());
        assertThat(seconds).isLessThan(NodeRuntime.DRAIN_MS / 1000.0 + 10);
    }
}

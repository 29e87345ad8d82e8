package dev.fusionnode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on loopback in a Hazelcast cluster: frames ingested (replayed) on the ingest node are
 * inferred on the worker node, which publishes their masks; the worker stops, the ingest node
 * reports that no worker answers and counts the dropped frames; a worker starts again and masks
 * flow again.
 */
class ClusterIT {
    private static JsonObject cluster(String role, int port, int peer) {
        return new JsonObject()
                .put("enabled", true)
                .put("role", role)
                .put("host", "127.0.0.1")
                .put("port", port)
                .put("members", new JsonArray().add("127.0.0.1:" + peer))
                .put("name", "fusion-test-" + Math.min(port, peer))
                .put("frameTimeoutMs", 3000);
    }

    private static NodeRuntime worker(int port, int peer) throws Exception {
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put("inference", NodeConfigs.microFusion())
                        .put(
                                "mqtt",
                                new JsonObject().put("embedded", new JsonObject().put("port", 0)))
                        .put("training", new JsonObject().put("enabled", false))
                        .put("cluster", cluster("worker", port, peer));
        return NodeHarness.start(NodeOptions.fromJson(json, "worker", Map.of()), true).runtime();
    }

    private static AtomicLong countMasks(NodeRuntime rt) {
        AtomicLong n = new AtomicLong();
        rt.vertx()
                .eventBus()
                .<EncodedFrame>localConsumer(Addresses.ENCODED, m -> n.incrementAndGet());
        return n;
    }

    @Test
    void framesInferredOnTheWorkerAndRecoveryWhenItReturns() throws Exception {
        int workerPort = Mosquitto.freePort();
        int ingestPort = Mosquitto.freePort();
        NodeRuntime w = worker(workerPort, ingestPort);
        AtomicLong masks = countMasks(w);
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put(
                                "replay",
                                new JsonObject()
                                        .put("playlist", "replay/sample-drive.json")
                                        .put("mode", "lossless")
                                        .put("loop", true)
                                        .put("rate", 2.0))
                        .put("inference", NodeConfigs.microFusion())
                        .put("training", new JsonObject().put("enabled", false))
                        .put("cluster", cluster("ingest", ingestPort, workerPort));
        NodeHarness ingestNode =
                NodeHarness.start(NodeOptions.fromJson(json, "ingest", Map.of()), true);
        NodeRuntime ingest = ingestNode.runtime();
        try {
            assertThat(ingest.inference()).as("no local model on the ingest node").isEmpty();
            Await.until(() -> masks.get() >= 8, 120, "masks from the worker");
            assertThat(w.status().snapshot().getJsonObject("cluster").getLong("received"))
                    .isGreaterThanOrEqualTo(8);
            assertThat(section(ingest).getBoolean("workersReachable")).isTrue();

            w.close();
            Await.until(
                    () -> !section(ingest).getBoolean("workersReachable"),
                    60,
                    "the ingest node reports no worker");
            Await.until(
                    () -> ingest.metrics().dropped(DropReason.WORKER_UNAVAILABLE) > 0,
                    30,
                    "dropped frames counted");
            assertThat(section(ingest).getString("lastError")).isNotBlank();

            NodeRuntime again = worker(workerPort, ingestPort);
            try {
                AtomicLong masksAgain = countMasks(again);
                Await.until(() -> masksAgain.get() >= 5, 120, "masks again");
                Await.until(
                        () -> section(ingest).getBoolean("workersReachable"),
                        30,
                        "the ingest node sees a worker again");
            } finally {
                again.close();
            }
        } finally {
            ingest.close();
        }
    }

    private static JsonObject section(NodeRuntime rt) {
        return rt.status().snapshot().getJsonObject("cluster");
    }
}

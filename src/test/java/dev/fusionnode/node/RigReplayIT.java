package dev.fusionnode.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.RigFiles;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.synth.Condition;
import dev.fusionnode.synth.RigDriveGenerator;
import dev.fusionnode.synth.SynthOptions;
import dev.fusionnode.synth.SynthProfile;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A six-camera synthetic drive (the shipped six-camera rig) replayed lossless at full speed: every
 * camera's frames come out as masks on MQTT, each camera's frames are projected through its own
 * calibration, and by-instant batching runs the six cameras of an instant as one batch.
 */
class RigReplayIT {
    private static final int FRAMES = 6;
    private static final List<String> CAMERAS =
            List.of("front", "front_left", "front_right", "back_left", "back_right", "back");

    @TempDir static Path dir;

    @BeforeAll
    static void sixCameraDrive() throws Exception {
        SynthOptions o =
                new SynthOptions(
                        dir.resolve("six"),
                        FRAMES,
                        7,
                        SynthProfile.ZOD,
                        List.of(Condition.DAY_FAIR),
                        160,
                        96,
                        32,
                        0.4,
                        0.0,
                        10.0,
                        1_700_000_000_000_000_000L,
                        SynthOptions.FAST_PNG,
                        2,
                        false);
        new RigDriveGenerator(o, RigFiles.read(Path.of("config/rigs/six-camera.json")))
                .generate(n -> {});
        Files.writeString(
                dir.resolve("six.json"),
                new JsonObject()
                        .put("name", "six")
                        .put("recording", dir.resolve("six").toString())
                        .put("rate", "max")
                        .encode());
    }

    private static NodeHarness start(String batching) {
        JsonObject json =
                NodeConfigs.node(
                                NodeConfigs.microAt64(6, 500)
                                        .put("batching", batching)
                                        .put("camerasPerInstant", 6))
                        .put(
                                "replay",
                                new JsonObject()
                                        .put("playlist", dir.resolve("six.json").toString())
                                        .put("mode", "lossless")
                                        .put("startPaused", true))
                        .put("pipeline", new JsonObject().put("maxInFlight", 12))
                        .put(
                                "mqtt",
                                new JsonObject()
                                        .put("topicPrefix", "fusion/rig")
                                        .put("embedded", new JsonObject().put("port", 0)))
                        .put("training", NodeConfigs.trainingOff());
        return NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
    }

    @Test
    void everyCameraIsProjectedSegmentedAndPublishedInBatchesOfOneInstant() throws Exception {
        Peer.MOSQUITTO_CLIENTS.require();
        try (NodeHarness node = start("instant")) {
            Map<String, Integer> landed = new ConcurrentHashMap<>();
            node.vertx()
                    .eventBus()
                    .<FusedFrame>localConsumer(
                            Addresses.FUSED,
                            m ->
                                    landed.merge(
                                            m.body().camera().sensorId(),
                                            m.body().pointsInImage(),
                                            Math::min));
            int port = node.runtime().mqtt().orElseThrow().embeddedPort();
            var masks =
                    Mosquitto.subscribe(port, "fusion/rig/+/mask", FRAMES * 6, 120, dir)
                            .awaitSubscribed();
            node.resume();
            List<Mosquitto.Received> got = masks.await();
            Map<String, Long> perCamera =
                    got.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            r -> r.topic().split("/")[2],
                                            TreeMap::new,
                                            Collectors.counting()));
            assertThat(perCamera.keySet()).containsExactlyInAnyOrderElementsOf(CAMERAS);
            assertThat(perCamera.values()).allMatch(n -> n == FRAMES);
            node.awaitReplayDrained(60);
            JsonObject inference = node.section("inference");
            assertThat(inference.getDouble("meanBatch")).as(inference.encode()).isEqualTo(6.0);
            assertThat(node.section("drops").getLong("total")).isZero();
            // each camera saw LiDAR points through its own calibration, in every frame
            assertThat(landed.keySet()).containsExactlyInAnyOrderElementsOf(CAMERAS);
            assertThat(landed.values()).as(landed.toString()).allMatch(n -> n > 100);
        }
    }
}

package dev.fusionnode.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.mcap.McapReader;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk while recording (the recording file is {@code /dev/full}, where every write fails
 * with "No space left on device"): the recording stops with a status that says why, and the node
 * keeps segmenting frames and stays ready.
 */
class RecordingFaultIT {
    @TempDir Path dir;

    @Test
    void fullDiskStopsTheRecordingNotTheNode() throws Exception {
        Peer.DEV_FULL.require();
        Path drive = dir.resolve("full");
        Files.createDirectories(drive);
        Files.createSymbolicLink(drive.resolve("drive.mcap"), Path.of("/dev/full"));
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microFusion())
                        .put("replay", NodeConfigs.sampleDrive(true))
                        .put("training", NodeConfigs.trainingOff())
                        .put(
                                "record",
                                new JsonObject()
                                        .put("enabled", true)
                                        .put("dir", dir.toString())
                                        .put("drive", "full"));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            JsonObject record = rt.status().snapshot().getJsonObject("record");
            assertThat(record.getString("state"))
                    .startsWith("failed")
                    .contains("No space left on device");
            long before = frames(rt);
            Await.until(() -> frames(rt) >= before + 5, 60, "frames keep being segmented");
            assertThat(rt.ready()).isTrue();
        } finally {
            rt.close();
        }
    }

    private static long frames(NodeRuntime rt) {
        return rt.status().snapshot().getJsonObject("inference").getLong("frames", 0L);
    }

    @Test
    void aDiskUnderItsFreeSpaceBoundEndsTheRecordingComplete() throws Exception {
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microFusion())
                        .put("replay", NodeConfigs.sampleDrive(true))
                        .put("training", NodeConfigs.trainingOff())
                        .put(
                                "record",
                                new JsonObject()
                                        .put("enabled", true)
                                        .put("dir", dir.toString())
                                        .put("drive", "low")
                                        .put("flushIntervalMs", 50)
                                        // more than any disk has: the first check stops it
                                        .put("minFreeBytes", Long.MAX_VALUE / 2));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            JsonObject record =
                    node.awaitSection(
                            "record",
                            r -> r.getString("state").startsWith("stopped"),
                            60,
                            "the recording stopped");
            assertThat(record.getString("state")).contains("record.minFreeBytes");
            assertThat(McapReader.open(dir.resolve("low").resolve("drive.mcap")).complete())
                    .as("the file ends with its footer")
                    .isTrue();
            long before = frames(rt);
            Await.until(() -> frames(rt) >= before + 5, 60, "frames keep being segmented");
            assertThat(rt.ready()).isTrue();
        } finally {
            rt.close();
        }
    }
}

package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fine-tune job that crashes (its work folder cannot be created: the path is a file): the job
 * ends {@code failed} with the error, the model in service stays, and frames keep being segmented.
 */
class FineTuneCrashIT {
    @TempDir Path dir;

    @Test
    void crashedJobLeavesInferenceAlone() throws Exception {
        Path notADir = dir.resolve("work");
        Files.writeString(notADir, "a file where the work folder should be");
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microFusion())
                        .put("replay", NodeConfigs.sampleDrive(true))
                        .put(
                                "training",
                                NodeConfigs.training(dir).put("workDir", notADir.toString()));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            FineTuneService svc = rt.training().orElseThrow();
            Path drive = Path.of("recordings/sample-drive");
            for (int i = 0; i < 6; i++) {
                String name = String.format("frame_%06d.png", 10 + i);
                svc.store()
                        .add(
                                ImageCodec.read(
                                        drive.resolve("camera").resolve(name),
                                        ImageCodec.Channels.RGB),
                                Optional.empty(),
                                ImageCodec.read(
                                        drive.resolve("annotation_camera_only").resolve(name),
                                        ImageCodec.Channels.AS_STORED));
            }
            String serving = rt.inference().orElseThrow().current().model().version();
            FineTuneJob job = svc.start(new JsonObject().put("epochs", 1).put("batchSize", 2));
            Await.until(job::done, 60, "the job ends");
            JsonObject state = job.toJson();
            assertThat(state.getString("state")).isEqualTo("failed");
            assertThat(state.getString("error")).isNotBlank();
            assertThat(rt.inference().orElseThrow().current().model().version()).isEqualTo(serving);
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
}

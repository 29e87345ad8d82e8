package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node restarted on a registry whose version in service is not the configured model: by default
 * it serves the kept version and says which, why, since when and how to roll back ({@code
 * /api/status} {@code training.servedModel}); with {@code training.restoreServedModel} false it
 * serves the configured model and keeps the other version.
 */
class ServedModelRestoreIT {
    private static final String CONFIG = "config/zod/clft/micro_fusion.json";

    @TempDir Path dir;

    @Test
    void restoresTheKeptVersionAndSaysWhyUnlessPinned() throws Exception {
        PaperConfig cfg = PaperConfig.read(Path.of(CONFIG));
        Path ckpt = dir.resolve("kept.pth");
        try (ClftModel m = ClftModel.random(cfg.modelSpec(), Device.cpu(), 5, "kept")) {
            m.save(ckpt, 0, 0);
        }
        ModelRegistry before = ModelRegistry.open(dir.resolve("models"));
        before.register("kept-1", ckpt, "fine-tune ft-1 of random-1 on 8 frames", 0.5);
        before.serving("kept-1", "promoted by fine-tune ft-1 (validation mIoU 0.4000 -> 0.5000)");
        before.configured("random-1"); // the micro config with its random seed 1
        String since = before.servingSince().orElseThrow();

        JsonObject served = servedModel(Map.of());
        assertThat(served.getString("version")).isEqualTo("kept-1");
        assertThat(served.getString("configured")).isEqualTo("random-1");
        assertThat(served.getString("because")).contains("promoted by fine-tune ft-1");
        assertThat(served.getString("since")).isEqualTo(since);
        assertThat(served.getBoolean("restored")).isTrue();
        assertThat(served.getString("rollback"))
                .contains("POST /api/models/activate {\"version\": \"random-1\"}")
                .contains("training.restoreServedModel false");

        JsonObject pinned =
                servedModel(Map.of("FUSIONNODE_TRAINING__RESTORE_SERVED_MODEL", "false"));
        assertThat(pinned.getString("version")).isEqualTo("random-1");
        assertThat(pinned.getString("because")).contains("configured model");
        assertThat(pinned.getBoolean("restored")).isFalse();
        assertThat(pinned.containsKey("rollback")).isFalse();
        assertThat(ModelRegistry.open(dir.resolve("models")).find("kept-1")).isPresent();
    }

    /** Starts the node on the registry, reads what it serves and why, and stops it. */
    private JsonObject servedModel(Map<String, String> env) throws Exception {
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microFusion())
                        .put("training", NodeConfigs.training(dir));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", env), true);
        NodeRuntime rt = node.runtime();
        try {
            HttpResponse<String> status = HttpCalls.get(rt.httpPort(), "/api/status");
            assertThat(status.statusCode()).isEqualTo(200);
            JsonObject servedModel =
                    new JsonObject(status.body())
                            .getJsonObject("training")
                            .getJsonObject("servedModel");
            assertThat(rt.inference().orElseThrow().current().model().version())
                    .isEqualTo(servedModel.getString("version"));
            return servedModel;
        } finally {
            rt.close();
        }
    }
}

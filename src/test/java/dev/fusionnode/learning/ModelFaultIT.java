package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Activating a kept version whose file is corrupt, or whose weights have the wrong shape (a 3-class
 * model for a 4-class config): 422 with the reason, counted as bad input, and the model in service
 * stays.
 */
class ModelFaultIT {
    @TempDir Path dir;

    @Test
    void corruptOrWrongShapeKeepsTheServingModel() throws Exception {
        Path models = dir.resolve("models");
        ModelRegistry reg = ModelRegistry.open(models);
        Path garbage = dir.resolve("garbage.pth");
        Files.write(garbage, "not a checkpoint at all".getBytes());
        reg.register("corrupt", garbage, "test", Double.NaN);
        Path threeClass = dir.resolve("three.pth");
        PaperConfig cfg = PaperConfig.read(Path.of("config/zod/clft/micro_fusion.json"));
        try (ClftModel m =
                ClftModel.random(cfg.modelSpec().withClasses(3), Device.cpu(), 3, "three")) {
            m.save(threeClass, 0, 0);
        }
        reg.register("wrongshape", threeClass, "test", Double.NaN);

        JsonObject json =
                NodeConfigs.node(NodeConfigs.microFusion())
                        .put("training", NodeConfigs.training(dir));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            String serving = rt.inference().orElseThrow().current().model().version();
            HttpClient http = HttpClient.newHttpClient();
            for (String[] c :
                    new String[][] {
                        {"corrupt", "not a"}, {"wrongshape", "does not fit the model"}
                    }) {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + rt.httpPort()
                                                                + "/api/models/activate"))
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        "{\"version\": \"" + c[0] + "\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
                assertThat(r.body()).contains("the model in service stays").contains(c[1]);
                assertThat(rt.inference().orElseThrow().current().model().version())
                        .isEqualTo(serving);
            }
            assertThat(rt.metrics().badInputs(BadInputReason.MALFORMED_CHECKPOINT)).isEqualTo(2);
        } finally {
            rt.close();
        }
    }
}

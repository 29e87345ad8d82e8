package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.pipeline.BadInputException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verifies that the inference config block selects the model: checkpoint, config, refusals. */
class ModelLoaderTest {
    private static InferenceOptions options(JsonObject model) {
        return NodeOptions.fromJson(
                        new JsonObject()
                                .put(
                                        "inference",
                                        new JsonObject().put("model", model).put("device", "cpu")),
                        "test",
                        Map.of())
                .inference();
    }

    @Test
    void aCheckpointIsServedWithItsVersion() {
        ServedModel m =
                ModelLoader.load(
                        options(
                                new JsonObject()
                                        .put(
                                                "checkpoint",
                                                "src/test/resources/fixtures/torch/micro_clft.pth")
                                        .put("resampleDim", 16)
                                        .put("imageSize", 64)));
        try {
            assertThat(m.model().version()).isEqualTo("micro_clft@epoch0");
            assertThat(m.model().spec().imageSize()).isEqualTo(64);
        } finally {
            m.release();
        }
    }

    @Test
    void aPaperConfigGivesStructureAndNormalisation() {
        ServedModel m =
                ModelLoader.load(
                        options(
                                new JsonObject()
                                        .put("config", "config/zod/clft/micro_fusion.json")));
        try {
            assertThat(m.model().spec().backbone().timmName()).isEqualTo("vit_micro_patch16_384");
            assertThat(m.preprocessor().mean()).containsExactly(0.325291f, 0.325736f, 0.331795f);
            assertThat(m.model().version()).isEqualTo("random-1");
        } finally {
            m.release();
        }
    }

    @Test
    void aMissingOrMismatchedCheckpointIsAClearError() {
        assertThatThrownBy(
                        () ->
                                ModelLoader.load(
                                        options(new JsonObject().put("checkpoint", "nope.pth"))))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("nope.pth");
        assertThatThrownBy(
                        () ->
                                ModelLoader.load(
                                        options(
                                                new JsonObject()
                                                        .put(
                                                                "checkpoint",
                                                                "src/test/resources/fixtures/torch/micro_clft.pth"))))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("wrong shape");
    }
}

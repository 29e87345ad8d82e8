package dev.fusionnode.learning;

import ai.djl.inference.Predictor;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.TranslateException;
import dev.fusionnode.inference.ServedModel;
import dev.fusionnode.inference.ServingControl;
import dev.fusionnode.learning.store.UnlabelledStore;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.SegmentationOutput;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.Image;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The starting point of a person's annotation of a kept frame: the served model's mask of it, in
 * the dataset's class ids (what {@code POST /api/annotations} takes), at camera size. Blocking: one
 * forward pass on the calling thread.
 */
public final class StartingMasks {
    private final ServingControl inference;
    private final PaperConfig config;

    /**
     * @param inference the serving side, for the model in service
     * @param config the served model's config: its dataset ids are what the store holds
     */
    StartingMasks(ServingControl inference, PaperConfig config) {
        this.inference = inference;
        this.config = config;
    }

    /** The mask the model in service makes of {@code frame}, and that model's version. */
    public record Mask(Image annotation, String modelVersion) {}

    /**
     * Segments a kept frame with the model in service.
     *
     * @throws TranslateException when the forward pass fails
     */
    public Mask of(UnlabelledStore.Entry frame) throws TranslateException {
        Image camera = frame.cameraImage();
        Optional<Image> lidar = frame.lidarImage();
        ServedModel model = inference.acquire();
        try (Predictor<ClftSample, SegmentationOutput> predictor =
                model.model().newPredictor(false)) {
            JniUtils.setGradMode(false);
            int[] ids = AutoLabeller.datasetIds(model.classes().names(), config);
            Image mask = AutoLabeller.label(predictor, model, camera, lidar, ids, 0).annotation();
            return new Mask(mask, model.model().version());
        } finally {
            model.release();
        }
    }

    /**
     * The classes a person annotates with: train index, name, colour and the dataset id written
     * into the annotation PNG for it (the first id the config maps to that class).
     */
    public JsonArray classesJson() {
        int[] ids = AutoLabeller.datasetIds(config.classNames(), config);
        int[] colors = config.classColors();
        JsonArray out = new JsonArray();
        for (int i = 0; i < ids.length; i++) {
            out.add(
                    new JsonObject()
                            .put("index", i)
                            .put("name", config.classNames().get(i))
                            .put(
                                    "color",
                                    String.format(
                                            "#%06x", i < colors.length ? colors[i] : 0x808080))
                            .put("datasetId", ids[i]));
        }
        return out;
    }
}

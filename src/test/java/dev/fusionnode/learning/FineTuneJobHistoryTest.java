package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.config.ConfigReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job's JSON keeps every epoch's validation scores once, in order, beside the latest ones: what
 * the console's chart draws.
 */
class FineTuneJobHistoryTest {
    private static FineTuneJob job() {
        FineTuneRequest request =
                FineTuneRequest.parse(
                        new JsonObject().put("epochs", 3),
                        FineTuneOptions.from(new ConfigReader(new JsonObject(), "test", Map.of())),
                        List.of("background", "vehicle"));
        return new FineTuneJob("ft1", request, request.toJson());
    }

    private static JsonObject val(double vehicleIou) {
        return new JsonObject()
                .put("vehicle", new JsonObject().put("iou", vehicleIou))
                .put("mean_iou", vehicleIou / 2);
    }

    /** Verifies that each epoch joins the history once, with its training loss. */
    @Test
    void eachEpochJoinsTheHistoryOnce() {
        FineTuneJob j = job();
        assertThat(j.toJson().getJsonArray("history")).isEmpty();
        j.validation(0, val(0.1), 0.9);
        j.validation(1, val(0.3), 0.7);
        j.validation(1, val(0.4), 0.6); // the same epoch again replaces it
        JsonObject json = j.toJson();
        JsonArray history = json.getJsonArray("history");
        assertThat(history).hasSize(2);
        assertThat(history.getJsonObject(0).getInteger("epoch")).isZero();
        assertThat(history.getJsonObject(0).getDouble("trainLoss")).isEqualTo(0.9);
        assertThat(
                        history.getJsonObject(1)
                                .getJsonObject("validation")
                                .getJsonObject("vehicle")
                                .getDouble("iou"))
                .isEqualTo(0.4);
        assertThat(json.getJsonObject("validation").getDouble("mean_iou")).isEqualTo(0.2);
        assertThat(json.getInteger("epoch")).isEqualTo(1);
        j.validation(2, val(0.5), Double.NaN);
        assertThat(j.toJson().getJsonArray("history").getJsonObject(2).getValue("trainLoss"))
                .isNull();
    }
}

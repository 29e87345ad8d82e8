package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cancelling and applying a job's outcome exclude each other: a cancel that comes while the job
 * evaluates (before its outcome is applied) wins, and the job then keeps and serves nothing
 * (before, DELETE during evaluation answered 202 and the job was promoted anyway); once the outcome
 * is being applied, or the job has ended, a cancel is refused (409).
 */
class FineTuneJobCancelTest {
    private static FineTuneJob job() {
        FineTuneRequest request =
                FineTuneRequest.parse(
                        new JsonObject().put("epochs", 1),
                        FineTuneOptions.from(new ConfigReader(new JsonObject(), "test", Map.of())),
                        List.of("background", "vehicle", "human"));
        return new FineTuneJob("ft1", request, request.toJson());
    }

    @Test
    void aCancelWhileEvaluatingStopsThePromotion() {
        FineTuneJob j = job();
        j.state(FineTuneJob.State.EVALUATING);
        assertThat(j.cancel()).isTrue();
        assertThat(j.commit()).as("the outcome may not be applied").isFalse();
    }

    @Test
    void aCancelAfterTheCommitIsRefused() {
        FineTuneJob j = job();
        j.state(FineTuneJob.State.EVALUATING);
        assertThat(j.commit()).isTrue();
        assertThat(j.cancel()).isFalse();
        j.finish(FineTuneJob.State.PROMOTED, new JsonObject());
        assertThat(j.cancel()).isFalse();
        assertThat(j.state()).isEqualTo(FineTuneJob.State.PROMOTED);
    }

    @Test
    void anEndedJobCannotBeCancelled() {
        FineTuneJob j = job();
        j.finish(FineTuneJob.State.CANDIDATE, new JsonObject());
        assertThat(j.cancel()).isFalse();
    }
}

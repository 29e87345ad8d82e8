package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verifies the Linux CPU-list format: parsing, the canonical form and the set operations. */
class CpuListTest {

    @Test
    void parsesSinglesRangesAndTheirMixInCanonicalForm() {
        assertThat(CpuList.parse("1")).hasToString("1");
        assertThat(CpuList.parse("4-7,12").size()).isEqualTo(5);
        assertThat(CpuList.parse("4-7,12")).hasToString("4-7,12");
        assertThat(CpuList.parse(" 0 , 2-3 ")).hasToString("0,2-3");
        assertThat(CpuList.parse("3,1,2")).hasToString("1-3").isEqualTo(CpuList.parse("1-3"));
        assertThat(CpuList.parse("5-5")).hasToString("5");
        assertThat(CpuList.parse("").isEmpty()).isTrue();
        assertThat(CpuList.parse("  ")).isEqualTo(CpuList.NONE).hasToString("");
    }

    @Test
    void refusesWhatIsNotACpuNumberOrRangeNamingThePart() {
        assertThatThrownBy(() -> CpuList.parse("a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'a' in 'a' is not a CPU number (0-8191) or range such as 2-5");
        assertThatThrownBy(() -> CpuList.parse("1,,2")).hasMessageContaining("'' in '1,,2'");
        assertThatThrownBy(() -> CpuList.parse("-1")).hasMessageContaining("'-1' in '-1'");
        assertThatThrownBy(() -> CpuList.parse("9000")).hasMessageContaining("'9000'");
        assertThatThrownBy(() -> CpuList.parse("0-3,6-4"))
                .hasMessage("'6-4' in '0-3,6-4' is a range that runs backwards");
    }

    @Test
    void comparesAndSubtractsSets() {
        CpuList all = CpuList.parse("0-7");
        assertThat(CpuList.parse("0-3").within(all)).isTrue();
        assertThat(CpuList.parse("7,8").within(all)).isFalse();
        assertThat(CpuList.NONE.within(all)).isTrue();
        assertThat(all.without(CpuList.parse("2-3"))).hasToString("0-1,4-7");
        assertThat(CpuList.parse("7,8").without(all)).hasToString("8");
    }

    @Test
    void theConfigTakesAListAndSizesTheWorkersThreadsByIt() {
        InferenceOptions none = inference(new JsonObject());
        assertThat(none.cpus().isEmpty()).isTrue();
        assertThat(none.effectiveThreads(8)).as("the cores minus one").isEqualTo(7);
        InferenceOptions pinned = inference(new JsonObject().put("cpus", "4-7"));
        assertThat(pinned.cpus()).hasToString("4-7");
        assertThat(pinned.effectiveThreads(8)).as("the reserved CPUs").isEqualTo(4);
        InferenceOptions two = inference(new JsonObject().put("cpus", "4-7").put("workers", 2));
        assertThat(two.effectiveThreads(8)).as("shared by two workers").isEqualTo(2);
        InferenceOptions set =
                inference(new JsonObject().put("cpus", "4-7").put("threads", 3).put("workers", 2));
        assertThat(set.effectiveThreads(8)).as("set explicitly").isEqualTo(3);
        assertThat(inference(new JsonObject().put("cpus", 3)).cpus()).hasToString("3");
        assertThatThrownBy(() -> inference(new JsonObject().put("cpus", "two")))
                .hasMessageContaining("cpus")
                .hasMessageContaining("'two' in 'two' is not a CPU number");
    }

    private static InferenceOptions inference(JsonObject json) {
        return InferenceOptions.from(new ConfigReader(json, "inference", Map.of()));
    }
}

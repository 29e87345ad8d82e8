package dev.fusionnode.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.fusionnode.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Verifies that each paper variant's block tree has exactly the keys, order and shapes of the
 * paper's PyTorch {@code state_dict} ({@code data/clft/state-dict-*.tsv}) and its parameter total.
 * No weights are allocated: every parameter has its shape at construction.
 */
class ClftStructureTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "state-dict-base.tsv, vit_base_patch16_384, 250, 115518988",
        "state-dict-hybrid.tsv, vit_base_resnet50_384, 406, 127610444",
        "state-dict-large.tsv, vit_large_patch16_384, 394, 341241612"
    })
    void keysShapesAndTotalsEqualThePapersStateDict(
            String manifest, String timm, int keys, long total) throws IOException {
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(TestData.clftManifests().resolve(manifest))) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            expected.add(f[0] + " " + f[1]);
        }
        ClftBlock block = new ClftBlock(ClftSpec.paper(timm, 4, ClftMode.CROSS_FUSION));
        Map<String, Parameter> params = StateDictNames.of(block);
        List<String> actual = new ArrayList<>();
        long sum = 0;
        for (var e : params.entrySet()) {
            Shape s = e.getValue().getShape();
            actual.add(e.getKey() + " " + shapeText(s));
            sum += s.size();
        }
        assertThat(actual).hasSize(keys).containsExactlyElementsOf(expected);
        assertThat(sum).isEqualTo(total);
    }

    private static String shapeText(Shape s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.dimension(); i++) {
            sb.append(i == 0 ? "" : "x").append(s.get(i));
        }
        return sb.toString();
    }
}

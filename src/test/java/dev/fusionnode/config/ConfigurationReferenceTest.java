package dev.fusionnode.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference ({@code docs/configuration.md}) against the config records: every key
 * the node reads has a row with its environment variable, and every row names a key the node reads.
 * A key added to a record without documentation fails here.
 */
class ConfigurationReferenceTest {
    private static final Path REFERENCE = Path.of("docs/configuration.md");

    /** Row key -> environment-variable cell of the reference's tables. */
    private static Map<String, String> rows() throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(REFERENCE)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            // cells[0] is empty: | key | default | unit | environment variable | meaning |
            assertThat(cells.length).as(line).isGreaterThanOrEqualTo(6);
            String key = unquote(cells[1]);
            assertThat(rows.put(key, unquote(cells[4]))).as("row twice: " + key).isNull();
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.strip().replace("`", "");
    }

    /** Every key read with defaults only, plus the fields of one camera entry. */
    private static List<ConfigEntry> keys() {
        JsonObject json =
                new JsonObject()
                        .put(
                                "capture",
                                new JsonObject()
                                        .put(
                                                "cameras",
                                                new JsonArray()
                                                        .add(new JsonObject().put("source", "0"))));
        return NodeOptions.effective(json, "test", Map.of()).entries().stream()
                .filter(e -> e.kind() != ConfigEntry.Kind.BLOCK)
                .toList();
    }

    @Test
    void everyKeyIsDocumentedWithItsVariable() throws Exception {
        Map<String, String> rows = rows();
        List<ConfigEntry> keys = keys();
        assertThat(keys).hasSizeGreaterThan(100);
        for (ConfigEntry e : keys) {
            String key = e.referenceKey();
            assertThat(rows).as("docs/configuration.md has no row for " + key).containsKey(key);
            String expected =
                    e.envName() == null
                            ? "-"
                            : e.kind() == ConfigEntry.Kind.MAP
                                    ? e.envName() + "__<SENSOR>"
                                    : e.envName();
            assertThat(rows.get(key)).as("environment variable of " + key).isEqualTo(expected);
        }
    }

    @Test
    void everyRowNamesAKeyTheNodeReads() throws Exception {
        TreeSet<String> read = new TreeSet<>();
        keys().forEach(e -> read.add(e.referenceKey()));
        assertThat(new TreeSet<>(rows().keySet()))
                .as("rows of docs/configuration.md that no config record reads")
                .isSubsetOf(read);
    }
}

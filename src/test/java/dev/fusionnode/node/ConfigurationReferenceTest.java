package dev.fusionnode.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.config.ConfigEntry;
import dev.fusionnode.config.ConfigReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

    /**
     * Every {@code FUSIONNODE_} variable named in the README, the docs and the deployment files
     * overrides a key (or is the log level): a renamed key cannot leave a stale variable behind.
     */
    @Test
    void everyVariableInTheDocsAndDeployFilesNamesAKey() throws Exception {
        TreeSet<String> known = new TreeSet<>(ConfigReader.NOT_KEYS);
        List<String> mapPrefixes = new ArrayList<>();
        for (ConfigEntry e : keys()) {
            if (e.envName() != null) {
                known.add(e.envName());
                if (e.kind() == ConfigEntry.Kind.MAP) {
                    mapPrefixes.add(e.envName() + "__");
                }
            }
        }
        Pattern var = Pattern.compile("FUSIONNODE_[A-Z0-9_]*[A-Z0-9]");
        TreeSet<String> unknown = new TreeSet<>();
        List<Path> files;
        try (var walk =
                Stream.of(Path.of("docs"), Path.of("deploy"))
                        .flatMap(
                                d -> {
                                    try {
                                        return Files.walk(d).toList().stream();
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                })) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
        }
        files.add(Path.of("README.md"));
        for (Path f : files) {
            if (f.toString().endsWith(".png")) {
                continue;
            }
            var m = var.matcher(Files.readString(f));
            while (m.find()) {
                String v = m.group();
                if (!known.contains(v) && mapPrefixes.stream().noneMatch(v::startsWith)) {
                    unknown.add(v + " (" + f + ")");
                }
            }
        }
        assertThat(unknown).as("variables that name no configuration key").isEmpty();
    }
}

package dev.fusionnode.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fusionnode.TestData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The fixtures of {@code src/test/resources/fixtures/torch} (made by {@code
 * make_torch_fixtures.py}) and the checks against the numbers Python wrote into {@code
 * manifest.json}.
 */
final class TorchFixtures {
    private TorchFixtures() {}

    /** A fixture file. */
    static Path file(String name) {
        return TestData.resource("fixtures/torch/" + name);
    }

    /** The manifest entry of one fixture file: {@code {tensors: {path: {...}}, ...}}. */
    static JsonObject manifest(String fixture) {
        try {
            JsonObject all = new JsonObject(Files.readString(file("manifest.json")));
            return all.getJsonObject(fixture);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Follows a '/'-separated path of dict keys and list indices through a loaded tree. */
    static Object at(Object tree, String path) {
        Object node = tree;
        for (String part : path.split("/")) {
            if (node instanceof Map<?, ?> m) {
                Object next = null;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (String.valueOf(e.getKey()).equals(part)) {
                        next = e.getValue();
                    }
                }
                assertThat(next).as("%s: no key '%s'", path, part).isNotNull();
                node = next;
            } else if (node instanceof List<?> l) {
                node = l.get(Integer.parseInt(part));
            } else if (node instanceof Object[] a) {
                node = a[Integer.parseInt(part)];
            } else {
                throw new AssertionError(path + ": cannot descend into " + node);
            }
        }
        return node;
    }

    /** Asserts dtype, shape, sum, the first values and the last value of a tensor. */
    static void assertMatches(String path, TorchTensor t, JsonObject expected) {
        assertThat(t.dtype().pythonName())
                .as(path + " dtype")
                .isEqualTo(expected.getString("dtype"));
        assertThat(t.shape())
                .as(path + " shape")
                .containsExactly(
                        expected.getJsonArray("shape").stream()
                                .mapToLong(o -> ((Number) o).longValue())
                                .toArray());
        double[] values = t.toDoubles();
        JsonArray first = expected.getJsonArray("first");
        for (int i = 0; i < first.size(); i++) {
            assertThat(values[i])
                    .as("%s[%d]", path, i)
                    .isEqualTo(((Number) first.getValue(i)).doubleValue());
        }
        if (values.length > 0) {
            assertThat(values[values.length - 1])
                    .as(path + " last")
                    .isEqualTo(((Number) expected.getValue("last")).doubleValue());
        }
        if (!t.dtype().isFloatingPoint()) {
            long sum = 0;
            for (long v : t.toLongs()) {
                sum += v;
            }
            assertThat(sum).as(path + " sum").isEqualTo(expected.getLong("sum"));
        } else {
            double sum = 0;
            double abs = 0;
            for (double v : values) {
                sum += v;
                abs += Math.abs(v);
            }
            assertThat(sum)
                    .as(path + " sum")
                    .isCloseTo(expected.getDouble("sum"), within(1e-9 * Math.max(1, abs)));
        }
    }
}

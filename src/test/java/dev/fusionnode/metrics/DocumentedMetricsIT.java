package dev.fusionnode.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric name written in the README and the pages of {@code docs/} exists: the names are read
 * from the documents and looked up in the {@code /metrics} of a node started from the shipped
 * configuration (with a Velodyne source and a camera, so that the live sensors' meters exist).
 */
class DocumentedMetricsIT {
    private static final Pattern NAME = Pattern.compile("fusionnode_[a-z0-9_]*[a-z0-9]");

    @TempDir Path dir;

    /** Documented name -> the first document naming it. */
    private static Map<String, Path> documentedNames() throws Exception {
        Map<String, Path> names = new TreeMap<>();
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            for (Path doc :
                    Stream.concat(Stream.of(Path.of("README.md")), docs)
                            .filter(p -> p.toString().endsWith(".md"))
                            .toList()) {
                Matcher m = NAME.matcher(Files.readString(doc));
                while (m.find()) {
                    names.putIfAbsent(m.group(), doc);
                }
            }
        }
        return names;
    }

    @Test
    void everyDocumentedMetricIsExposed() throws Exception {
        Map<String, Path> documented = documentedNames();
        assertThat(documented).hasSizeGreaterThan(15);

        JsonObject json = new JsonObject(Files.readString(Path.of("config/node.json")));
        json.getJsonObject("http").put("port", 0);
        json.getJsonObject("mqtt").getJsonObject("embedded").put("port", 0);
        json.getJsonObject("replay").put("rate", "max").put("loop", false);
        json.put("training", NodeConfigs.training(dir));
        json.put("velodyne", new JsonObject().put("enabled", true).put("port", 0));
        json.put(
                "capture",
                new JsonObject()
                        .put(
                                "cameras",
                                new io.vertx.core.json.JsonArray()
                                        .add(
                                                new JsonObject()
                                                        .put("id", "spare")
                                                        .put(
                                                                "source",
                                                                dir.resolve("none.avi").toString())
                                                        .put("reconnectMs", 60_000))));
        json.put("health", new JsonObject().put("sensorStallMs", 60_000));
        NodeHarness node =
                NodeHarness.start(NodeOptions.fromJson(json, "config/node.json", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            CountDownLatch segmented = new CountDownLatch(8);
            rt.vertx().eventBus().localConsumer(Addresses.SEGMENTED, m -> segmented.countDown());
            assertThat(segmented.await(120, TimeUnit.SECONDS)).as("8 frames segmented").isTrue();
            String metrics = HttpCalls.get(rt.httpPort(), "/metrics").body();
            TreeSet<String> exposed = new TreeSet<>();
            metrics.lines()
                    .filter(l -> l.startsWith("fusionnode_"))
                    .forEach(l -> exposed.add(l.replaceFirst("[{ ].*", "")));
            TreeMap<String, Path> missing = new TreeMap<>();
            documented.forEach(
                    (name, doc) -> {
                        boolean found =
                                exposed.stream()
                                        .anyMatch(e -> e.equals(name) || e.startsWith(name + "_"));
                        if (!found) {
                            missing.put(name, doc);
                        }
                    });
            assertThat(missing)
                    .as(
                            "metric names in the documents that /metrics does not have (exposed: %s)",
                            exposed)
                    .isEmpty();
        } finally {
            rt.close();
        }
    }
}

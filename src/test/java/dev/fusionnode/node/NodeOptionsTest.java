package dev.fusionnode.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.config.ConfigException;
import dev.fusionnode.geometry.LidarEncoding;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies config loading: defaults, validation messages, environment overrides. */
class NodeOptionsTest {
    @TempDir Path dir;

    /** Verifies that the shipped embedded default loads and replays the sample drive. */
    @Test
    void shippedDefaultLoads() {
        NodeOptions o = NodeOptions.load(Path.of("config/node.json"), Map.of());
        assertThat(o.http().host()).isEqualTo("127.0.0.1");
        assertThat(o.replay().enabled()).isTrue();
        assertThat(o.replay().playlist()).contains(Path.of("replay/sample-drive.json"));
        assertThat(o.sync().toleranceNs()).isEqualTo(50_000_000L);
        assertThat(o.projection().encoding()).isEqualTo(LidarEncoding.ZOD_BASIC);
    }

    /** Verifies that an invalid value fails with the file, the key and the reason. */
    @Test
    void invalidValueNamesFileKeyAndReason() throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"http\": {\"port\": 70000}}");
        assertThatThrownBy(() -> NodeOptions.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("http.port")
                .hasMessageContaining("between 0 and 65535");
        Files.writeString(f, "{\"replay\": {\"playlist\": \"x.json\", \"mode\": \"sometimes\"}}");
        assertThatThrownBy(() -> NodeOptions.load(f, Map.of()))
                .hasMessageContaining("replay.mode")
                .hasMessageContaining("lossless, live");
        Files.writeString(f, "{\"sync\": {\"toleranceMS\": 20}}");
        assertThatThrownBy(() -> NodeOptions.load(f, Map.of()))
                .hasMessageContaining("sync.toleranceMS")
                .hasMessageContaining("unknown key");
        Files.writeString(f, "{\"projection\": {\"encoding\": \"depth\"}}");
        assertThatThrownBy(() -> NodeOptions.load(f, Map.of()))
                .hasMessageContaining("projection.encoding")
                .hasMessageContaining("zod-basic");
        Files.writeString(f, "{\"http\": ");
        assertThatThrownBy(() -> NodeOptions.load(f, Map.of()))
                .hasMessageContaining("not valid JSON");
    }

    /**
     * Verifies the environment rule: FUSIONNODE_ + path in UPPER_SNAKE joined by double
     * underscores.
     */
    @Test
    void environmentOverridesAnyKey() {
        JsonObject json = new JsonObject().put("http", new JsonObject().put("port", 8080));
        Map<String, String> env =
                Map.of(
                        "FUSIONNODE_HTTP__PORT", "9191",
                        "FUSIONNODE_SYNC__TOLERANCE_MS", "20",
                        "FUSIONNODE_SYNC__OFFSETS_MS__FRONT", "7",
                        "FUSIONNODE_VEHICLE_ID", "iseauto-1",
                        "FUSIONNODE_PROJECTION__ENCODING", "iseauto");
        NodeOptions o = NodeOptions.fromJson(json, "node.json", env);
        assertThat(o.http().port()).isEqualTo(9191);
        assertThat(o.sync().toleranceNs()).isEqualTo(20_000_000L);
        assertThat(o.vehicleId()).isEqualTo("iseauto-1");
        assertThat(o.projection().encoding()).isEqualTo(LidarEncoding.ISEAUTO);
        assertThat(o.sync().offsetNs("front")).isEqualTo(7_000_000L);
        assertThatThrownBy(
                        () ->
                                NodeOptions.fromJson(
                                        json,
                                        "node.json",
                                        Map.of("FUSIONNODE_HTTP__PORT", "eighty")))
                .hasMessageContaining("environment variable FUSIONNODE_HTTP__PORT")
                .hasMessageContaining("http.port");
    }
}

package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kept model versions are bounded; the served and the configured version always stay. */
class ModelRegistryPruneTest {
    @TempDir Path dir;

    private ModelRegistry.Entry register(ModelRegistry r, String version) throws Exception {
        Path ckpt = dir.resolve("in-" + version + ".pth");
        Files.writeString(ckpt, "weights of " + version);
        return r.register(version, ckpt, "test", 0.5);
    }

    @Test
    void theOldestVersionsGoFirstButNeverTheServedOrTheConfiguredOne() throws Exception {
        Path models = dir.resolve("models");
        ModelRegistry r = ModelRegistry.open(models);
        register(r, "configured");
        r.configured("configured");
        register(r, "served");
        r.serving("served", "promoted");
        for (int i = 1; i <= 20; i++) {
            register(r, "ft" + i);
            Files.writeString(models.resolve("ft" + i + ".json"), "{}"); // a specialist's config
        }
        assertThat(r.prune(5)).hasSize(17);
        assertThat(r.entries())
                .extracting(ModelRegistry.Entry::version)
                .containsExactly("configured", "served", "ft18", "ft19", "ft20");
        try (var files = Files.list(models)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly(
                            "configured.pth",
                            "ft18.json",
                            "ft18.pth",
                            "ft19.json",
                            "ft19.pth",
                            "ft20.json",
                            "ft20.pth",
                            "registry.json",
                            "served.pth");
        }
        // what is written is what a restart reads
        assertThat(ModelRegistry.open(models).entries()).hasSize(5);
        assertThat(r.prune(5)).isEmpty();
    }

    @Test
    void aCheckpointOutsideTheRegistryIsNeverDeleted() throws Exception {
        Path models = dir.resolve("models");
        Path elsewhere = dir.resolve("elsewhere.pth");
        Files.writeString(elsewhere, "weights");
        Files.createDirectories(models);
        Files.writeString(
                models.resolve("registry.json"),
                "{\"versions\": [{\"version\": \"old\", \"checkpoint\": \""
                        + elsewhere
                        + "\", \"source\": \"test\", \"created\": \"2026-01-01T00:00:00Z\"}]}");
        ModelRegistry r = ModelRegistry.open(models);
        register(r, "a");
        register(r, "b");
        assertThat(r.prune(2)).extracting(ModelRegistry.Entry::version).containsExactly("old");
        assertThat(elsewhere).exists();
    }
}

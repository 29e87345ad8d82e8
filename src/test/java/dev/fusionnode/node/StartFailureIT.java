package dev.fusionnode.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.cli.FusionNode;
import dev.fusionnode.testutil.Console;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A node that cannot start says why in one line and exits with code 3 at once: a missing
 * checkpoint, a file that is not a checkpoint, the HTTP port taken. (Before, it printed no reason,
 * waited 120 s and printed "node failed to start: null".)
 */
class StartFailureIT {
    @TempDir Path dir;

    private Console.Printed run(JsonObject config) throws Exception {
        Path file = dir.resolve("node-" + System.nanoTime() + ".json");
        Files.writeString(file, config.encodePrettily());
        return Console.capture(
                () -> new CommandLine(new FusionNode()).execute("run", "-c", file.toString()));
    }

    /** The reason line (stderr also carries the log). */
    private static String reason(Console.Printed p) {
        return p.err()
                .lines()
                .filter(l -> l.startsWith("node failed to start: "))
                .findFirst()
                .orElse("(no reason line in: " + p.err() + ")");
    }

    private static JsonObject node(String checkpoint, int httpPort) {
        return new JsonObject()
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
                .put(
                        "inference",
                        new JsonObject()
                                .put(
                                        "model",
                                        new JsonObject()
                                                .put("config", "config/zod/clft/demo_fusion.json")
                                                .put("checkpoint", checkpoint)))
                .put("mqtt", new JsonObject().put("enabled", false))
                .put("training", new JsonObject().put("enabled", false));
    }

    @Test
    @Timeout(60)
    void aMissingCheckpointIsNamedAndTheNodeExits() throws Exception {
        Console.Printed p = run(node(dir.resolve("missing.pth").toString(), 0));
        assertThat(p.code()).isEqualTo(3);
        assertThat(reason(p))
                .startsWith("node failed to start: ")
                .contains("missing.pth")
                .contains("not found")
                .doesNotContain("null");
    }

    @Test
    @Timeout(60)
    void aFileThatIsNotACheckpointIsNamed() throws Exception {
        Path bogus = dir.resolve("bogus.pth");
        Files.writeString(bogus, "this is not a checkpoint");
        Console.Printed p = run(node(bogus.toString(), 0));
        assertThat(p.code()).isEqualTo(3);
        assertThat(reason(p)).startsWith("node failed to start: ").contains("bogus.pth");
    }

    @Test
    @Timeout(60)
    void aTakenPortIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Console.Printed p = run(node("models/demo/demo_fusion.pth", taken.getLocalPort()));
            assertThat(p.code()).isEqualTo(3);
            assertThat(reason(p))
                    .startsWith("node failed to start: ")
                    .containsIgnoringCase("address already in use")
                    .contains(":" + taken.getLocalPort());
        }
    }
}

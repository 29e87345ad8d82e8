package dev.fusionnode.testutil;

import dev.fusionnode.config.NodeOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;

/** Node configurations for tests: loopback, a free port, a given playlist. */
public final class NodeConfigs {
    private NodeConfigs() {}

    /** A config replaying {@code playlist} in {@code mode} with the given flow-control limits. */
    public static NodeOptions replay(Path playlist, String mode, int maxInFlight, int liveQueue) {
        JsonObject json = new JsonObject()
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("replay", new JsonObject().put("playlist", playlist.toString()).put("mode", mode))
                .put("pipeline", new JsonObject().put("maxInFlight", maxInFlight).put("liveQueue", liveQueue).put("blockingThreads", 1));
        return NodeOptions.fromJson(json, "test", Map.of());
    }
}

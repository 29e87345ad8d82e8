package dev.fusionnode.testutil;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Node configurations for tests: loopback, a free port, a given playlist. */
public final class NodeConfigs {
    private NodeConfigs() {}

    /**
     * A config replaying {@code playlist} in {@code mode} with the given flow-control limits. The
     * replay starts paused so that a test can attach its consumers first; call {@link #resume}.
     */
    public static NodeOptions replay(Path playlist, String mode, int maxInFlight, int liveQueue) {
        return replay(
                new JsonObject().put("playlist", playlist.toString()).put("mode", mode),
                maxInFlight,
                liveQueue);
    }

    /**
     * A config with the given {@code replay} block (started paused), flow-control limits and a free
     * port; inference off, so that the test's consumer of fused frames is the terminal stage.
     */
    public static NodeOptions replay(JsonObject replay, int maxInFlight, int liveQueue) {
        JsonObject json =
                new JsonObject()
                        .put("http", loopbackHttp())
                        .put("replay", replay.copy().put("startPaused", true))
                        .put(
                                "pipeline",
                                new JsonObject()
                                        .put("maxInFlight", maxInFlight)
                                        .put("liveQueue", liveQueue)
                                        .put("blockingThreads", 1))
                        .put("inference", new JsonObject().put("enabled", false));
        return NodeOptions.fromJson(json, "test", Map.of());
    }

    /**
     * A config replaying {@code playlist} losslessly (started paused) through the inference stage
     * configured by {@code inference}.
     */
    public static NodeOptions withInference(Path playlist, int maxInFlight, JsonObject inference) {
        JsonObject json =
                new JsonObject()
                        .put("http", loopbackHttp())
                        .put(
                                "replay",
                                new JsonObject()
                                        .put("playlist", playlist.toString())
                                        .put("mode", "lossless")
                                        .put("startPaused", true))
                        .put(
                                "pipeline",
                                new JsonObject()
                                        .put("maxInFlight", maxInFlight)
                                        .put("liveQueue", 2)
                                        .put("blockingThreads", 1))
                        .put("inference", inference)
                        .put(
                                "mqtt",
                                new JsonObject().put("embedded", new JsonObject().put("port", 0)))
                        .put("training", new JsonObject().put("enabled", false));
        return NodeOptions.fromJson(json, "test", Map.of());
    }

    /**
     * A config replaying {@code playlist} losslessly and in a loop (started paused) through the
     * inference stage, publishing with the given {@code mqtt} block.
     */
    public static NodeOptions withInferenceAndMqtt(
            Path playlist, JsonObject inference, JsonObject mqtt) {
        JsonObject json =
                new JsonObject()
                        .put("http", loopbackHttp())
                        .put(
                                "replay",
                                new JsonObject()
                                        .put("playlist", playlist.toString())
                                        .put("mode", "lossless")
                                        .put("loop", true)
                                        .put("startPaused", true))
                        .put(
                                "pipeline",
                                new JsonObject()
                                        .put("maxInFlight", 4)
                                        .put("liveQueue", 2)
                                        .put("blockingThreads", 1))
                        .put("inference", inference)
                        .put("mqtt", mqtt)
                        .put("training", new JsonObject().put("enabled", false));
        return NodeOptions.fromJson(json, "test", Map.of());
    }

    /** An HTTP block on 127.0.0.1 and a free port. */
    public static JsonObject loopbackHttp() {
        return new JsonObject().put("host", "127.0.0.1").put("port", 0);
    }

    /** The model block of the shipped demo fusion model (config and checkpoint). */
    public static JsonObject demoFusion() {
        return new JsonObject()
                .put("config", "config/zod/clft/demo_fusion.json")
                .put("checkpoint", "models/demo/demo_fusion.pth");
    }

    /**
     * A node on 127.0.0.1 (a free port), one blocking thread, MQTT off, with the given {@code
     * inference} block; tests add the blocks they need (replay, training, record, ...).
     */
    public static JsonObject node(JsonObject inference) {
        return new JsonObject()
                .put("http", loopbackHttp())
                .put("pipeline", new JsonObject().put("blockingThreads", 1))
                .put("inference", inference)
                .put("mqtt", new JsonObject().put("enabled", false));
    }

    /**
     * Writes {@code dir/sample.json}: a playlist of the sample drive at full speed, without
     * looping.
     */
    public static Path samplePlaylistAtFullSpeed(Path dir) throws IOException {
        Path playlist = dir.resolve("sample.json");
        Files.writeString(
                playlist,
                new JsonObject()
                        .put("name", "sample-drive")
                        .put(
                                "recording",
                                Path.of("recordings/sample-drive").toAbsolutePath().toString())
                        .put("rate", "max")
                        .put("loop", false)
                        .encode());
        return playlist;
    }

    /** A replay block of the sample drive, lossless, at full speed, looping or not. */
    public static JsonObject sampleDrive(boolean loop) {
        return new JsonObject()
                .put("playlist", "replay/sample-drive.json")
                .put("mode", "lossless")
                .put("loop", loop)
                .put("rate", "max");
    }

    /** {@code "training": {"enabled": false}}'s block. */
    public static JsonObject trainingOff() {
        return new JsonObject().put("enabled", false);
    }

    /**
     * A learning-loop node: replays {@code playlist} losslessly (started paused; looping or not)
     * through {@code inference}, MQTT off, with the {@code training} block.
     */
    public static JsonObject learning(
            Path playlist, boolean loop, JsonObject inference, JsonObject training) {
        return node(inference)
                .put(
                        "replay",
                        new JsonObject()
                                .put("playlist", playlist.toString())
                                .put("mode", "lossless")
                                .put("loop", loop)
                                .put("startPaused", true))
                .put("training", training);
    }

    /**
     * The inference block of a random micro CLFT on 64x64 inputs (fast: for tests of the frame
     * path, not of the model), batches of up to {@code maxBatch} within {@code maxDelayMs}.
     */
    public static JsonObject microAt64(int maxBatch, int maxDelayMs) {
        return new JsonObject()
                .put(
                        "model",
                        new JsonObject()
                                .put("backbone", "vit_micro_patch16_384")
                                .put("resampleDim", 16)
                                .put("imageSize", 64))
                .put("maxBatch", maxBatch)
                .put("maxDelayMs", maxDelayMs)
                .put("device", "cpu");
    }

    /**
     * The inference block of the micro CLFT (sample-drive config, random weights), batch 1 on the
     * CPU.
     */
    public static JsonObject microFusion() {
        return new JsonObject()
                .put("model", new JsonObject().put("config", "config/zod/clft/micro_fusion.json"))
                .put("maxBatch", 1)
                .put("device", "cpu");
    }

    /**
     * A {@code training} block keeping the store, the fine-tune work and the model registry under
     * {@code dir} ({@code store/}, {@code work/}, {@code models/}, {@code unlabelled/}).
     */
    public static JsonObject training(Path dir) {
        return new JsonObject()
                .put("storeDir", dir.resolve("store").toString())
                .put("workDir", dir.resolve("work").toString())
                .put("registryDir", dir.resolve("models").toString())
                .put("unlabelledDir", dir.resolve("unlabelled").toString());
    }

    /**
     * A {@link #training} block under {@code dir} that keeps every frame as hard (threshold 0, no
     * interval, up to 100 waiting).
     */
    public static JsonObject trainingEveryFrameHard(Path dir) {
        return training(dir)
                .put(
                        "hardFrames",
                        new JsonObject()
                                .put("threshold", 0.0)
                                .put("minIntervalMs", 0)
                                .put("maxPending", 100));
    }

    /** Resumes a paused replay once the test's consumers are in place. */
    public static void resume(NodeRuntime rt) throws Exception {
        rt.vertx()
                .eventBus()
                .request(Addresses.REPLAY_CONTROL, new JsonObject().put("action", "resume"))
                .await(10, TimeUnit.SECONDS);
    }
}

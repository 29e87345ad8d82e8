package dev.fusionnode.node;

import dev.fusionnode.bridge.BridgeOptions;
import dev.fusionnode.capture.CaptureOptions;
import dev.fusionnode.cluster.ClusterOptions;
import dev.fusionnode.config.BindAddresses;
import dev.fusionnode.config.ConfigEntry;
import dev.fusionnode.config.ConfigException;
import dev.fusionnode.config.ConfigReader;
import dev.fusionnode.http.HttpOptions;
import dev.fusionnode.http.SecurityOptions;
import dev.fusionnode.inference.InferenceOptions;
import dev.fusionnode.ingest.IngestOptions;
import dev.fusionnode.learning.FineTuneOptions;
import dev.fusionnode.pipeline.HealthOptions;
import dev.fusionnode.pipeline.PipelineOptions;
import dev.fusionnode.projection.ProjectionOptions;
import dev.fusionnode.publish.mqtt.MqttOptions;
import dev.fusionnode.record.RecordOptions;
import dev.fusionnode.replay.ReplayOptions;
import dev.fusionnode.sync.SyncOptions;
import dev.fusionnode.velodyne.VelodyneOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole node configuration ({@code config/*.json}), one typed block per stage.
 *
 * @param vehicleId vehicle name (used in topics and status)
 * @param http HTTP listener
 * @param replay replay source
 * @param sync time synchronisation
 * @param projection LiDAR projection
 * @param pipeline flow control and thread pools
 * @param inference the model and its batching
 * @param mqtt MQTT publishing (embedded broker by default)
 * @param training annotated-frame store and fine-tune jobs
 * @param velodyne a live Velodyne LiDAR on UDP (off by default)
 * @param record recording what the node ingests as MCAP (off by default)
 * @param capture cameras read with OpenCV (none by default)
 * @param security API token and what it protects
 * @param health readiness rules (sensor stalls)
 * @param cluster scale-out on a clustered event bus (off by default)
 * @param ingest pushed sensors: which ids are taken
 * @param bridge live ROS 2 topics from a foxglove_bridge (off by default)
 */
public record NodeOptions(
        String vehicleId,
        HttpOptions http,
        ReplayOptions replay,
        SyncOptions sync,
        ProjectionOptions projection,
        PipelineOptions pipeline,
        InferenceOptions inference,
        MqttOptions mqtt,
        FineTuneOptions training,
        VelodyneOptions velodyne,
        RecordOptions record,
        CaptureOptions capture,
        SecurityOptions security,
        HealthOptions health,
        ClusterOptions cluster,
        IngestOptions ingest,
        BridgeOptions bridge) {

    /** A copy with inference switched off. */
    public NodeOptions withoutInference() {
        return new NodeOptions(
                vehicleId,
                http,
                replay,
                sync,
                projection,
                pipeline,
                inference.disabled(),
                mqtt,
                training,
                velodyne,
                record,
                capture,
                security,
                health,
                cluster,
                ingest,
                bridge);
    }

    /** A copy with {@code record} as the record block. */
    public NodeOptions withRecord(RecordOptions r) {
        return new NodeOptions(
                vehicleId,
                http,
                replay,
                sync,
                projection,
                pipeline,
                inference,
                mqtt,
                training,
                velodyne,
                r,
                capture,
                security,
                health,
                cluster,
                ingest,
                bridge);
    }

    /**
     * Loads and validates a config file with environment overrides.
     *
     * @throws ConfigException naming the file, key and reason for any invalid value
     */
    public static NodeOptions load(Path file, Map<String, String> env) {
        return loadEffective(file, env).options();
    }

    private static JsonObject readJson(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "(file)", "cannot read config file: " + e);
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException e) {
            throw new ConfigException(
                    file.toString(), "(file)", "not valid JSON: " + e.getMessage());
        }
    }

    /**
     * The validated options and every key behind them, with its effective value and source.
     *
     * @param options the options
     * @param entries every key read, in reading order (defaults included)
     */
    public record Effective(NodeOptions options, List<ConfigEntry> entries) {}

    /** Validates a parsed config; {@code source} names it in errors. */
    public static NodeOptions fromJson(JsonObject json, String source, Map<String, String> env) {
        return effective(json, source, env).options();
    }

    /**
     * Loads a config file with environment overrides, keeping every key's effective value.
     *
     * @throws ConfigException naming the file, key and reason for any invalid value
     */
    public static Effective loadEffective(Path file, Map<String, String> env) {
        return effective(readJson(file), file.toString(), env);
    }

    /** Validates a parsed config, keeping every key's effective value. */
    public static Effective effective(JsonObject json, String source, Map<String, String> env) {
        ConfigReader r = new ConfigReader(json, source, env);
        String vehicle = r.string("vehicleId", "sample");
        if (!vehicle.matches("[A-Za-z0-9_.-]+")) {
            throw r.invalid(
                    "vehicleId",
                    "must contain only letters, digits, '_', '-' and '.', found '" + vehicle + "'");
        }
        NodeOptions o =
                new NodeOptions(
                        vehicle,
                        HttpOptions.from(r.child("http")),
                        ReplayOptions.from(r.child("replay")),
                        SyncOptions.from(r.child("sync")),
                        ProjectionOptions.from(r.child("projection")),
                        PipelineOptions.from(r.child("pipeline")),
                        InferenceOptions.from(r.child("inference")),
                        MqttOptions.from(r.child("mqtt"), vehicle),
                        FineTuneOptions.from(r.child("training")),
                        VelodyneOptions.from(r.child("velodyne")),
                        RecordOptions.from(r.child("record")),
                        CaptureOptions.from(r.child("capture")),
                        SecurityOptions.from(r.child("security")),
                        HealthOptions.from(r.child("health")),
                        ClusterOptions.from(r.child("cluster")),
                        IngestOptions.from(r.child("ingest")),
                        BridgeOptions.from(r.child("bridge")));
        if (!BindAddresses.loopback(o.http().host()) && o.security().token().isEmpty()) {
            throw r.invalid(
                    "http.host",
                    "'"
                            + o.http().host()
                            + "' is not loopback: binding elsewhere requires an API token"
                            + " (security.tokenFile, or FUSIONNODE_SECURITY__TOKEN)");
        }
        r.rejectUnknownKeys();
        r.rejectUnknownEnvironment();
        return new Effective(o, r.entries());
    }
}

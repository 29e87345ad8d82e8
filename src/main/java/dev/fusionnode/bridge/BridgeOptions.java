package dev.fusionnode.bridge;

import dev.fusionnode.config.ConfigReader;
import dev.fusionnode.ros.Backoff;
import dev.fusionnode.ros.BridgeEndpoint;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code bridge} block: live ROS 2 topics from a {@code foxglove_bridge} (off unless {@code
 * url} is set).
 *
 * @param url the bridge's WebSocket URL ({@code ws://vehicle:8765}); empty: off
 * @param topics topic to sensor id; empty: the defaults by type and namespace, as for bags
 * @param publishMasks advertise the masks back through the bridge (its {@code clientPublish}
 *     capability) as {@code sensor_msgs/msg/Image} {@code mono8}
 * @param maskTopic the masks' topic, {@code {camera}} standing for the camera's sensor id
 * @param reconnectMinMs first delay before reconnecting (doubling after each failure)
 * @param reconnectMaxMs longest delay before reconnecting
 * @param maxMessageBytes largest message taken from the bridge
 */
public record BridgeOptions(
        Optional<String> url,
        Map<String, String> topics,
        boolean publishMasks,
        String maskTopic,
        long reconnectMinMs,
        long reconnectMaxMs,
        int maxMessageBytes) {

    /** Reads the {@code bridge} block. */
    public static BridgeOptions from(ConfigReader r) {
        String url = r.string("url", null);
        if (url != null && !url.matches("wss?://[^\\s/]+(/\\S*)?")) {
            throw r.invalid("url", "must be a ws:// or wss:// URL, found '" + url + "'");
        }
        Map<String, String> topics = r.stringMap("topics");
        topics.forEach(
                (topic, id) -> {
                    if (!topic.startsWith("/") || !id.matches("[A-Za-z0-9_-]{1,64}")) {
                        throw r.invalid(
                                "topics",
                                "maps '"
                                        + topic
                                        + "' to '"
                                        + id
                                        + "'; topics start with '/' and sensor ids are 1-64"
                                        + " letters, digits, '_' or '-'");
                    }
                });
        String maskTopic = r.string("maskTopic", "/fusion/{camera}/mask");
        if (!maskTopic.startsWith("/") || !maskTopic.contains("{camera}")) {
            throw r.invalid(
                    "maskTopic",
                    "must start with '/' and contain {camera}, found '" + maskTopic + "'");
        }
        long min = r.longValue("reconnectMinMs", 500, 10, 60_000);
        long max = r.longValue("reconnectMaxMs", 10_000, 10, 600_000);
        if (max < min) {
            throw r.invalid("reconnectMaxMs", "must be at least reconnectMinMs (" + min + ")");
        }
        BridgeOptions o =
                new BridgeOptions(
                        Optional.ofNullable(url),
                        Map.copyOf(topics),
                        r.bool("publishMasks", true),
                        maskTopic,
                        min,
                        max,
                        r.integer("maxMessageBytes", 64 << 20, 1 << 20, 512 << 20));
        r.rejectUnknownKeys();
        return o;
    }

    /** Whether a bridge is configured. */
    public boolean enabled() {
        return url.isPresent();
    }

    /** The bridge's address and message bound. */
    public BridgeEndpoint endpoint() {
        return new BridgeEndpoint(url.orElseThrow(), maxMessageBytes);
    }

    /** A fresh reconnect schedule. */
    public Backoff backoff() {
        return new Backoff(reconnectMinMs, reconnectMaxMs);
    }

    /** The mask topic of a camera. */
    public String maskTopicOf(String cameraId) {
        return maskTopic.replace("{camera}", cameraId);
    }
}

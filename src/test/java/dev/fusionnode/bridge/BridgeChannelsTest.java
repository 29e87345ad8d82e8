package dev.fusionnode.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which advertised channels the node subscribes to: the mapped (or default) camera and scan topics,
 * the camera info in a camera's namespace, the transforms; never a JSON channel, an unmapped topic
 * or the node's own outputs; each channel once.
 */
class BridgeChannelsTest {
    private static JsonObject channel(long id, String topic, String encoding, String type) {
        return new JsonObject()
                .put("id", id)
                .put("topic", topic)
                .put("encoding", encoding)
                .put("schemaName", type);
    }

    private static JsonArray vehicle() {
        return new JsonArray()
                .add(channel(1, "/camera/image_raw", "cdr", "sensor_msgs/msg/Image"))
                .add(channel(2, "/velodyne_points", "cdr", "sensor_msgs/msg/PointCloud2"))
                .add(channel(3, "/camera/camera_info", "cdr", "sensor_msgs/msg/CameraInfo"))
                .add(channel(4, "/tf_static", "cdr", "tf2_msgs/msg/TFMessage"))
                .add(channel(5, "/diagnostics", "cdr", "diagnostic_msgs/msg/DiagnosticArray"))
                .add(channel(6, "/fusion/front/mask", "cdr", "sensor_msgs/msg/Image"))
                .add(channel(7, "/json/points", "json", "sensor_msgs/msg/PointCloud2"));
    }

    @Test
    void defaultsSubscribeTheSensorsTheirCalibrationAndTransformsOnce() {
        BridgeChannels c = new BridgeChannels(Map.of());
        assertThat(c.advertised(vehicle())).isEmpty();
        var subs = c.subscribeNow();
        assertThat(subs)
                .extracting(s -> s.channel().topic() + " " + s.role() + " " + s.sensorId())
                .containsExactlyInAnyOrder(
                        "/camera/image_raw CAMERA front",
                        "/velodyne_points SCAN top",
                        "/camera/camera_info CAMERA_INFO front",
                        "/tf_static TRANSFORMS ");
        assertThat(c.subscribeNow()).isEmpty();
        assertThat(c.subscription(subs.get(0).id())).contains(subs.get(0));
        c.unadvertised(new JsonArray().add(1));
        assertThat(c.subscription(subs.get(0).id())).isEmpty();
    }

    @Test
    void aConfiguredMapWinsAndAmbiguityWaits() {
        JsonArray two =
                new JsonArray()
                        .add(channel(1, "/a/image_raw", "cdr", "sensor_msgs/msg/Image"))
                        .add(
                                channel(
                                        2,
                                        "/a/image_raw/compressed",
                                        "cdr",
                                        "sensor_msgs/msg/CompressedImage"));
        BridgeChannels defaults = new BridgeChannels(Map.of());
        defaults.advertised(two);
        assertThat(defaults.mapping()).isEmpty();
        assertThat(defaults.subscribeNow()).isEmpty();
        BridgeChannels mapped = new BridgeChannels(Map.of("/a/image_raw/compressed", "left"));
        mapped.advertised(two);
        assertThat(mapped.subscribeNow())
                .extracting(s -> s.channel().topic() + " " + s.sensorId())
                .containsExactly("/a/image_raw/compressed left");
    }

    @Test
    void aChannelWithoutItsFieldsIsReported() {
        BridgeChannels c = new BridgeChannels(Map.of());
        assertThat(c.advertised(new JsonArray().add(new JsonObject().put("id", 1)).add("x")))
                .hasSize(2);
        assertThat(c.advertisedCount()).isZero();
    }
}

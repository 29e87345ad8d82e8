package dev.fusionnode.publish.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.Mosquitto.Received;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default {@code run} configuration ({@code config/node.json}, ports moved by environment
 * overrides) starts the embedded broker; Debian's {@code mosquitto_sub} receives the retained
 * status and masks that decode to one channel of class indices.
 */
class MqttEmbeddedBrokerIT {
    @TempDir Path tmp;

    /** The default {@code run} configuration, its ports moved by environment overrides. */
    private static NodeOptions defaultRun() {
        return NodeOptions.load(
                Path.of("config/node.json"),
                Map.of(
                        "FUSIONNODE_HTTP__PORT", "0",
                        "FUSIONNODE_MQTT__EMBEDDED__PORT", "0",
                        "FUSIONNODE_TRAINING__ENABLED", "false"));
    }

    @Test
    void mosquittoSubReceivesMasksFromTheDefaultRun() throws Exception {
        Peer.MOSQUITTO_CLIENTS.require();
        NodeOptions options = defaultRun();
        assertThat(options.mqtt().embeddedBroker()).isTrue();
        NodeHarness node = NodeHarness.start(options, true);
        NodeRuntime rt = node.runtime();
        try {
            int port = rt.mqtt().orElseThrow().embeddedPort();
            int classes = rt.inference().orElseThrow().current().classes().names().size();
            var masks = Mosquitto.subscribe(port, "fusion/sample/+/mask", 4, 120, tmp);
            var confidence = Mosquitto.subscribe(port, "fusion/sample/+/confidence", 2, 120, tmp);
            var meta = Mosquitto.subscribe(port, "fusion/sample/+/meta", 2, 120, tmp);
            List<Received> got = masks.await();
            // the retained status, once masks flow, says "up" and names the model
            var status = Mosquitto.subscribe(port, "fusion/sample/status", 1, 60, tmp);
            assertThat(got).hasSize(4);
            for (Received r : got) {
                assertThat(r.topic()).matches("fusion/sample/[^/]+/mask");
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.payload()));
                assertThat(img).as("a PNG").isNotNull();
                Raster px = img.getRaster();
                assertThat(px.getNumBands()).as("one channel").isEqualTo(1);
                assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
                int max = 0;
                for (int y = 0; y < img.getHeight(); y++) {
                    for (int x = 0; x < img.getWidth(); x++) {
                        max = Math.max(max, px.getSample(x, y, 0));
                    }
                }
                assertThat(max).as("class indices").isLessThan(classes);
            }
            for (Received r : confidence.await()) {
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.payload()));
                assertThat(img.getType()).as("8-bit grey").isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
                Raster px = img.getRaster();
                int min = 255;
                for (int y = 0; y < img.getHeight(); y++) {
                    for (int x = 0; x < img.getWidth(); x++) {
                        min = Math.min(min, px.getSample(x, y, 0));
                    }
                }
                // the top softmax probability of C classes is at least 1/C
                assertThat(min).isGreaterThanOrEqualTo(255 / classes - 1);
            }
            for (Received r : meta.await()) {
                JsonObject m = new JsonObject(new String(r.payload(), StandardCharsets.UTF_8));
                assertThat(m.getDouble("unfamiliarity")).isBetween(0.0, 1.0);
            }
            List<Received> st = status.await();
            assertThat(st).hasSize(1);
            JsonObject s = new JsonObject(new String(st.get(0).payload(), StandardCharsets.UTF_8));
            assertThat(s.getString("state")).isEqualTo("up");
            assertThat(s.getString("vehicle")).isEqualTo("sample");
            assertThat(s.getString("model")).isNotBlank();
        } finally {
            rt.close();
        }
    }

    /**
     * Overlay JPEGs are made only while a client of the embedded broker subscribes to them: none
     * before, every frame's while {@code mosquitto_sub} takes {@code +/overlay}, none again once it
     * has gone; a request for the latest overlay gets one all the same.
     */
    @Test
    void overlaysOnlyWhileSomeoneSubscribes() throws Exception {
        Peer.MOSQUITTO_CLIENTS.require();
        NodeOptions options = defaultRun();
        NodeHarness node = NodeHarness.start(options, true);
        NodeRuntime rt = node.runtime();
        try {
            JsonObject before =
                    node.awaitSection(
                            "encoder",
                            e -> e.getLong("overlayJpegSkipped") >= 3,
                            120,
                            "3 frames without an overlay");
            assertThat(before.getLong("overlayJpegSkipped")).isGreaterThanOrEqualTo(3);
            var client = rt.vertx().createHttpClient();
            HttpCalls.Response latest =
                    HttpCalls.call(
                            rt.vertx(),
                            client,
                            HttpMethod.GET,
                            rt.httpPort(),
                            "/api/frames/latest/overlay.jpg");
            assertThat(latest.status()).isEqualTo(200);
            assertThat(latest.contentType()).isEqualTo("image/jpeg");
            assertThat(
                            ImageCodec.decode(
                                            latest.body().getBytes(),
                                            "latest",
                                            ImageCodec.Channels.RGB)
                                    .width())
                    .isPositive();

            int port = rt.mqtt().orElseThrow().embeddedPort();
            List<Received> overlays =
                    Mosquitto.subscribe(port, "fusion/sample/+/overlay", 3, 120, tmp).await();
            assertThat(overlays).hasSize(3);
            for (Received r : overlays) {
                assertThat(r.topic()).matches("fusion/sample/[^/]+/overlay");
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.payload()));
                assertThat(img).as("a JPEG").isNotNull();
                assertThat(img.getRaster().getNumBands()).as("RGB").isEqualTo(3);
            }
            // mosquitto_sub has disconnected: the overlays stop again
            long skipped = node.section("encoder").getLong("overlayJpegSkipped");
            node.awaitSection(
                    "encoder",
                    e -> e.getLong("overlayJpegSkipped") >= skipped + 2,
                    120,
                    "overlays skipped again once the subscriber has gone");
        } finally {
            rt.close();
        }
    }
}

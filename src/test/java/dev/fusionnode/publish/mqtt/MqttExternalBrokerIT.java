package dev.fusionnode.publish.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.Mosquitto.Received;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External-broker mode against a real Debian {@code mosquitto} started by the test: {@code
 * mosquitto_sub} (MQTT 3.1.1) gets the PNG masks, an MQTT.js MQTT 5 subscriber sees the content
 * type and user properties, and a broker killed mid-stream costs counted drops but never stalls the
 * pipeline; masks resume when the broker is back, and a stopped node leaves a retained "down".
 */
class MqttExternalBrokerIT {
    private static final String MASKS = "fusion/sample/+/mask";
    private static final String STATUS = "fusion/sample/status";

    @TempDir Path tmp;

    @Test
    void masksReachMosquittoAndResumeAfterABrokerRestart() throws Exception {
        Peer.MOSQUITTO_BROKER.require();
        Path mqttJs = NpmPeers.module("mqtt");
        int port = Mosquitto.freePort();
        try (Mosquitto broker = Mosquitto.start(tmp, port)) {
            JsonObject inference = NodeConfigs.microFusion();
            JsonObject mqtt =
                    new JsonObject()
                            .put("host", "127.0.0.1")
                            .put("port", port)
                            .put("clientId", "fusion-node-test")
                            .put("bufferMessages", 6)
                            .put("reconnectMinMs", 100)
                            .put("reconnectMaxMs", 400)
                            .put("statusIntervalMs", 500);
            NodeHarness node =
                    NodeHarness.start(
                            NodeConfigs.withInferenceAndMqtt(
                                    Path.of("replay/sample-drive.json"), inference, mqtt),
                            true);
            NodeRuntime rt = node.runtime();
            boolean closed = false;
            try {
                AtomicLong encoded = new AtomicLong();
                rt.vertx()
                        .eventBus()
                        .<EncodedFrame>localConsumer(
                                Addresses.ENCODED, m -> encoded.incrementAndGet());
                Process js =
                        mqttJs == null
                                ? null
                                : new ProcessBuilder(
                                                "node",
                                                "src/test/js/mqtt5_subscribe.mjs",
                                                mqttJs.toString(),
                                                "mqtt://127.0.0.1:" + port,
                                                MASKS,
                                                "2",
                                                "120")
                                        .redirectErrorStream(true)
                                        .redirectOutput(tmp.resolve("mqttjs.txt").toFile())
                                        .start();
                var before = Mosquitto.subscribe(port, MASKS, 3, 120, tmp).awaitSubscribed();
                if (js != null) {
                    Path jsOut = tmp.resolve("mqttjs.txt");
                    Await.until(() -> fileContains(jsOut, "subscribed"), 60, "MQTT.js subscribed");
                }
                NodeConfigs.resume(rt);
                assertMasks(before.await(), 3);
                if (js != null) {
                    assertMqtt5Properties(js, tmp.resolve("mqttjs.txt"));
                }
                Counter dropped =
                        rt.registry().counter("fusionnode.publish.dropped", "transport", "mqtt");
                double droppedBefore = dropped.count();

                broker.kill();
                long at = encoded.get();
                Await.until(
                        () -> encoded.get() >= at + 8, 90, "frames keep flowing without a broker");
                assertThat(mqttSection(rt).getBoolean("connected")).isFalse();
                assertThat(dropped.count()).as("drops counted").isGreaterThan(droppedBefore);

                broker.restart();
                assertMasks(Mosquitto.subscribe(port, MASKS, 3, 60, tmp).await(), 3);
                List<Received> up = Mosquitto.subscribe(port, STATUS, 1, 30, tmp).await();
                assertThat(state(up)).isEqualTo("up");
                assertThat(mqttSection(rt).getBoolean("connected")).isTrue();

                rt.close();
                closed = true;
                List<Received> down = Mosquitto.subscribe(port, STATUS, 1, 30, tmp).await();
                assertThat(state(down)).as("retained status after stop").isEqualTo("down");
            } finally {
                if (!closed) {
                    rt.close();
                }
            }
        }
    }

    private static JsonObject mqttSection(NodeRuntime rt) {
        return rt.status().snapshot().getJsonObject("mqtt");
    }

    private static String state(List<Received> status) {
        assertThat(status).hasSize(1);
        return new JsonObject(new String(status.get(0).payload(), StandardCharsets.UTF_8))
                .getString("state");
    }

    private static void assertMasks(List<Received> got, int n) throws Exception {
        assertThat(got).hasSize(n);
        for (Received r : got) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.payload()));
            assertThat(img).isNotNull();
            assertThat(img.getRaster().getNumBands()).isEqualTo(1);
        }
    }

    private static void assertMqtt5Properties(Process js, Path out) throws Exception {
        assertThat(js.waitFor(130, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(out);
        assertThat(js.exitValue()).as(text).isZero();
        List<String> lines = text.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).as(text).hasSize(2);
        for (String line : lines) {
            JsonObject m = new JsonObject(line);
            assertThat(m.getString("contentType")).isEqualTo("image/png");
            assertThat(m.getString("head")).startsWith("89504e47"); // PNG signature
            JsonObject props = m.getJsonObject("userProperties");
            assertThat(props.fieldNames())
                    .contains("seq", "captureTimeNs", "modelVersion", "classes", "width", "height");
            assertThat(Long.parseLong(props.getString("seq"))).isNotNegative();
            assertThat(props.getString("classes")).startsWith("background,");
        }
    }

    private static boolean fileContains(Path file, String text) {
        try {
            return Files.exists(file) && Files.readString(file).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

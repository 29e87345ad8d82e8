package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learning over MQTT with Debian's {@code mosquitto_pub} against the embedded broker: annotated
 * frames on {@code <prefix>/annotations} land in the store, a malformed one is counted and ignored,
 * and a message on {@code <prefix>/cmd/finetune} starts a job whose progress {@code mosquitto_sub}
 * sees on {@code <prefix>/training/progress}.
 */
class MqttTrainingCommandsIT {
    @TempDir Path dir;

    @Test
    void annotationsAndFineTuneOverMqtt() throws Exception {
        Peer.MOSQUITTO_CLIENTS.require();
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put("inference", NodeConfigs.microFusion())
                        .put(
                                "mqtt",
                                new JsonObject().put("embedded", new JsonObject().put("port", 0)))
                        .put("training", NodeConfigs.training(dir));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            FineTuneService svc = rt.training().orElseThrow();
            int port = rt.mqtt().orElseThrow().embeddedPort();
            Path drive = Path.of("recordings/sample-drive");
            for (int i : new int[] {0, 20, 40}) {
                String name = String.format("frame_%06d.png", i);
                JsonObject m =
                        new JsonObject()
                                .put("camera", b64(drive.resolve("camera").resolve(name)))
                                .put("lidar", b64(drive.resolve("lidar_png").resolve(name)))
                                .put(
                                        "annotation",
                                        b64(drive.resolve("annotation_camera_only").resolve(name)));
                Path f = dir.resolve("ann" + i + ".json");
                Files.writeString(f, m.encode());
                pub(port, "fusion/sample/annotations", "-f", f.toString());
            }
            long bad = rt.metrics().badInputs(BadInputReason.MALFORMED_CLIENT_MESSAGE);
            pub(port, "fusion/sample/annotations", "-m", "{\"camera\": \"not base64!\"}");
            Await.until(() -> svc.store().size() == 3, 180, "3 frames stored");
            Await.until(
                    () ->
                            rt.metrics().badInputs(BadInputReason.MALFORMED_CLIENT_MESSAGE)
                                    == bad + 1,
                    180,
                    "the malformed message counted");

            // bad fine-tune commands are refused and counted, no job starts (before: uncaught
            // SEVERE errors, nothing counted)
            long badBefore = rt.metrics().badInputs(BadInputReason.MALFORMED_CLIENT_MESSAGE);
            String[] badCommands = {
                "not json",
                "{\"mode\": null}",
                "{\"loss\": null}",
                "{\"augment\": \"yes\"}",
                "{\"seed\": \"abc\"}",
                "{\"epochs\": 4294967299}",
                "{\"lr\": \"1e-5\"}",
                "{\"epoch\": 1}"
            };
            for (String c : badCommands) {
                pub(port, "fusion/sample/cmd/finetune", "-m", c);
            }
            Await.until(
                    () ->
                            rt.metrics().badInputs(BadInputReason.MALFORMED_CLIENT_MESSAGE)
                                    == badBefore + badCommands.length,
                    60,
                    "every bad fine-tune command counted");
            assertThat(svc.jobs()).isEmpty();

            var progress =
                    Mosquitto.subscribe(port, "fusion/sample/training/progress", 1, 60, dir)
                            .awaitSubscribed();
            pub(port, "fusion/sample/cmd/finetune", "-m", "{\"epochs\": 1, \"batchSize\": 2}");
            var got = progress.await();
            assertThat(got).hasSize(1);
            JsonObject job =
                    new JsonObject(new String(got.get(0).payload(), StandardCharsets.UTF_8));
            assertThat(svc.job(job.getString("id"))).isPresent();
            assertThat(job.getJsonObject("parameters").getInteger("epochs")).isEqualTo(1);
            Await.until(
                    () -> svc.job(job.getString("id")).orElseThrow().done(),
                    180,
                    "the job finished");
            assertThat(svc.job(job.getString("id")).orElseThrow().state())
                    .isIn(FineTuneJob.State.PROMOTED, FineTuneJob.State.CANDIDATE);
        } finally {
            rt.close();
        }
    }

    private static String b64(Path f) throws Exception {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(f));
    }

    private static void pub(int port, String topic, String... payload) throws Exception {
        String[] cmd = new String[8 + payload.length];
        String[] head = {
            "/usr/bin/mosquitto_pub",
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-V",
            "mqttv311",
            "-t"
        };
        System.arraycopy(head, 0, cmd, 0, head.length);
        cmd = Arrays.copyOf(cmd, head.length + 1 + payload.length);
        cmd[head.length] = topic;
        System.arraycopy(payload, 0, cmd, head.length + 1, payload.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}

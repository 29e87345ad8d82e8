package dev.fusionnode.publish.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.config.ConfigException;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's access rules: beyond loopback it needs a users file; with one, Debian
 * {@code mosquitto_sub} / {@code mosquitto_pub} are refused anonymously and with a wrong password,
 * and served with the right one (the retained status; a pushed message on a command topic reaches
 * the node).
 */
class MqttAuthIT {
    @TempDir Path dir;

    private record Run(int exit, String out) {}

    private static Run run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        return new Run(done ? p.exitValue() : -1, new String(p.getInputStream().readAllBytes()));
    }

    @Test
    void anonymousOnlyOnLoopback() {
        JsonObject json =
                new JsonObject()
                        .put(
                                "mqtt",
                                new JsonObject()
                                        .put("embedded", new JsonObject().put("host", "0.0.0.0")));
        assertThatThrownBy(() -> NodeOptions.fromJson(json, "node.json", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mqtt.embedded.host")
                .hasMessageContaining("anonymous MQTT clients are accepted only on loopback");
    }

    @Test
    void usersFileGatesClients() throws Exception {
        Peer.MOSQUITTO_CLIENTS.require();
        Path users = dir.resolve("users");
        Files.writeString(users, "# node users\n" + BrokerUsers.line("car", "pw-123456") + "\n");
        int port = Mosquitto.freePort();
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put("inference", NodeConfigs.microFusion())
                        .put("training", new JsonObject().put("enabled", false))
                        .put(
                                "mqtt",
                                new JsonObject()
                                        .put(
                                                "embedded",
                                                new JsonObject()
                                                        .put("port", port)
                                                        .put("usersFile", users.toString())));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            String p = String.valueOf(port);
            List<String> sub =
                    new ArrayList<>(
                            List.of(
                                    "mosquitto_sub",
                                    "-h",
                                    "127.0.0.1",
                                    "-p",
                                    p,
                                    "-t",
                                    "fusion/sample/status",
                                    "-C",
                                    "1",
                                    "-W",
                                    "5"));
            Run anonymous = run(sub.toArray(String[]::new));
            assertThat(anonymous.exit()).as(anonymous.out()).isNotZero();
            assertThat(anonymous.out()).contains("Connection Refused");
            List<String> wrong = new ArrayList<>(sub);
            wrong.addAll(List.of("-u", "car", "-P", "wrong-password"));
            assertThat(run(wrong.toArray(String[]::new)).exit()).isNotZero();
            List<String> right = new ArrayList<>(sub);
            right.addAll(List.of("-u", "car", "-P", "pw-123456"));
            Run ok = run(right.toArray(String[]::new));
            assertThat(ok.exit()).as(ok.out()).isZero();
            assertThat(ok.out()).contains("\"state\"");

            Run pushed =
                    run(
                            "mosquitto_pub",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            p,
                            "-u",
                            "car",
                            "-P",
                            "pw-123456",
                            "-t",
                            "fusion/sample/sensors/camera/front",
                            "-m",
                            "garbage");
            assertThat(pushed.exit()).as(pushed.out()).isZero();
            Await.until(
                    () -> rt.metrics().badInputs(BadInputReason.MALFORMED_CLIENT_MESSAGE) == 1,
                    20,
                    "the authenticated push reached the node");
            Run anonymousPub =
                    run(
                            "mosquitto_pub",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            p,
                            "-t",
                            "fusion/sample/sensors/camera/front",
                            "-m",
                            "garbage");
            // refused at CONNECT (the exit code says so): it never got to publish
            assertThat(anonymousPub.exit()).isNotZero();
            assertThat(rt.metrics().badInputs(BadInputReason.MALFORMED_CLIENT_MESSAGE))
                    .isEqualTo(1);

            // an authenticated user may not write the node's own topics: a retained fake meta
            // (a topic no camera of the node uses, so only the fake could arrive) is not kept
            // and reaches no subscriber (before, it was delivered and kept)
            // QoS 1 (the broker keeps retained messages of QoS 1); a refused publish gets no
            // acknowledgement, so the client is given 5 s
            run(
                    "timeout",
                    "5",
                    "mosquitto_pub",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    p,
                    "-u",
                    "car",
                    "-P",
                    "pw-123456",
                    "-r",
                    "-q",
                    "1",
                    "-t",
                    "fusion/sample/fakecam/meta",
                    "-m",
                    "{\"seq\":1}");
            Run fakeRead =
                    run(
                            "mosquitto_sub",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            p,
                            "-u",
                            "car",
                            "-P",
                            "pw-123456",
                            "-t",
                            "fusion/sample/fakecam/meta",
                            "-C",
                            "1",
                            "-W",
                            "3");
            assertThat(fakeRead.out()).doesNotContain("\"seq\"");
            assertThat(fakeRead.exit()).as("timed out: nothing kept").isNotZero();
            assertThat(
                            NodeTopicsPolicy.matches(
                                    "fusion/sample/sensors/#",
                                    "fusion/sample/sensors/camera/front"))
                    .isTrue();
            NodeTopicsPolicy policy =
                    new NodeTopicsPolicy(
                            "fusion/sample",
                            List.of(
                                    "fusion/sample/cmd/finetune",
                                    "fusion/sample/annotations",
                                    "fusion/sample/sensors/#"));
            assertThat(policy.canWrite("fusion/sample/front/mask")).isFalse();
            assertThat(policy.canWrite("fusion/sample/front/meta")).isFalse();
            assertThat(policy.canWrite("fusion/sample/status")).isFalse();
            assertThat(policy.canWrite("fusion/sample/cmd/finetune")).isTrue();
            assertThat(policy.canWrite("fusion/sample/sensors/lidar/top")).isTrue();
            assertThat(policy.canWrite("elsewhere/topic")).isTrue();
        } finally {
            rt.close();
        }
    }
}

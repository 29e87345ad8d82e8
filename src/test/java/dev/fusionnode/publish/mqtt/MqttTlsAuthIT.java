package dev.fusionnode.publish.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.Mosquitto;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External-broker mode against a Debian {@code mosquitto} with TLS (a CA and server certificate
 * made by {@code openssl} for the test) and a password file: the node connects with the CA file and
 * its credentials and masks arrive; with a wrong password it never connects, and masks beyond the
 * outbound buffer are counted as dropped while the pipeline runs on.
 */
class MqttTlsAuthIT {
    @TempDir Path tmp;
    private int port;

    @BeforeEach
    void certificates() throws Exception {
        Peer.MOSQUITTO_BROKER.require();
        Peer.OPENSSL.require();
        Files.writeString(tmp.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1\n");
        sh(
                "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2"
                        + " -subj /CN=fusion-test-ca");
        sh(
                "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1");
        sh(
                "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt"
                        + " -days 2 -extfile san.cnf");
        sh("mosquitto_passwd -c -b passwd shuttle s3cret");
        port = Mosquitto.freePort();
    }

    private void sh(String cmd) throws Exception {
        Process p =
                new ProcessBuilder("sh", "-c", cmd)
                        .directory(tmp.toFile())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(cmd + ": " + out).isZero();
    }

    private Mosquitto broker() throws Exception {
        return Mosquitto.start(
                tmp,
                port,
                "cafile "
                        + tmp.resolve("ca.crt")
                        + "\n"
                        + "certfile "
                        + tmp.resolve("server.crt")
                        + "\n"
                        + "keyfile "
                        + tmp.resolve("server.key")
                        + "\n"
                        + "allow_anonymous false\n"
                        + "password_file "
                        + tmp.resolve("passwd")
                        + "\n");
    }

    private NodeRuntime node(String password) throws Exception {
        JsonObject inference = NodeConfigs.microFusion();
        JsonObject mqtt =
                new JsonObject()
                        .put("host", "127.0.0.1")
                        .put("port", port)
                        .put("tls", true)
                        .put("caFile", tmp.resolve("ca.crt").toString())
                        .put("username", "shuttle")
                        .put("password", password)
                        .put("bufferMessages", 6)
                        .put("reconnectMinMs", 200)
                        .put("reconnectMaxMs", 1000);
        NodeHarness node =
                NodeHarness.start(
                        NodeConfigs.withInferenceAndMqtt(
                                Path.of("replay/sample-drive.json"), inference, mqtt),
                        true);
        NodeRuntime rt = node.runtime();
        NodeConfigs.resume(rt);
        return rt;
    }

    @Test
    void connectsOverTlsWithCredentials() throws Exception {
        try (Mosquitto broker = broker()) {
            NodeRuntime rt = node("s3cret");
            try {
                var masks =
                        Mosquitto.subscribe(
                                port,
                                "fusion/sample/+/mask",
                                2,
                                120,
                                tmp,
                                "--cafile",
                                tmp.resolve("ca.crt").toString(),
                                "-u",
                                "shuttle",
                                "-P",
                                "s3cret");
                assertThat(masks.await()).hasSize(2);
                assertThat(rt.status().snapshot().getJsonObject("mqtt").getString("broker"))
                        .startsWith("ssl://");
            } finally {
                rt.close();
            }
        }
    }

    @Test
    void aWrongPasswordNeverConnectsAndMasksAreCountedAsDropped() throws Exception {
        try (Mosquitto broker = broker()) {
            NodeRuntime rt = node("wrong");
            try {
                Await.until(
                        () ->
                                rt.status().snapshot().getJsonObject("output").getLong("frames")
                                        >= 10,
                        120,
                        "10 frames segmented");
                JsonObject mqtt = rt.status().snapshot().getJsonObject("mqtt");
                assertThat(mqtt.getBoolean("connected")).isFalse();
                assertThat(mqtt.getLong("messagesPublished")).isZero();
                assertThat(mqtt.getLong("messagesDropped")).isPositive();
                assertThat(rt.status().snapshot().toString()).doesNotContain("wrong");
            } finally {
                rt.close();
            }
        }
    }
}

package dev.fusionnode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy files, checked as far as this machine allows: {@code systemd-analyze verify} on the
 * unit (no warnings), npm {@code dockerfilelint} on the container file, npm {@code
 * kubernetes-models} (Kubernetes' OpenAPI schemas, offline) on every manifest, and the node configs
 * inside deploy/ (the Kubernetes ConfigMap's and the onboard Iseauto example) load as node configs.
 */
class DeployFilesIT {
    @TempDir Path dir;

    private record Run(int exit, String out) {}

    private static Run run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void systemdUnitVerifies() throws Exception {
        Peer.SYSTEMD_ANALYZE.require();
        Run r = run(List.of("systemd-analyze", "verify", "deploy/systemd/fusion-node.service"));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).as("no warnings").isBlank();
    }

    @Test
    void containerFileLints() throws Exception {
        Path lint = NpmPeers.prefix().resolve("node_modules/.bin/dockerfilelint");
        Peer.requireNpm("dockerfilelint");
        Run r = run(List.of(lint.toString(), "deploy/container/Dockerfile"));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("Issues: None found");
        String docker = Files.readString(Path.of("deploy/container/Dockerfile"));
        assertThat(docker)
                .contains("USER fusion")
                .contains("HEALTHCHECK")
                .contains("/health/ready");
    }

    @Test
    void kubernetesManifestsValidate() throws Exception {
        Peer.requireNpm("kubernetes-models", "yaml");
        Run r =
                run(
                        List.of(
                                "node",
                                "src/test/js/k8s_validate.mjs",
                                NpmPeers.prefix().resolve("node_modules").toString(),
                                "deploy/k8s/fusion-node.yaml"));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out())
                .contains("ok ConfigMap/fusion-node-config")
                .contains("ok Secret/fusion-node-secrets")
                .contains("ok Deployment/fusion-node")
                .contains("ok Service/fusion-node");
    }

    @Test
    void deployConfigsLoad() throws Exception {
        // the ConfigMap's node.json, with its secret files pointed at local copies
        String yaml = Files.readString(Path.of("deploy/k8s/fusion-node.yaml"));
        int start = yaml.indexOf("node.json: |");
        String block = yaml.substring(yaml.indexOf('\n', start) + 1, yaml.indexOf("\n---", start));
        StringBuilder json = new StringBuilder();
        for (String line : block.split("\n")) {
            json.append(line.length() >= 4 ? line.substring(4) : line.strip()).append('\n');
        }
        Path token = dir.resolve("api-token");
        Files.writeString(token, "a-test-token-of-some-length\n");
        Path users = dir.resolve("mqtt-users");
        Files.writeString(users, "viewer:" + "0".repeat(64) + "\n");
        String local =
                json.toString()
                        .replace("/run/secrets/fusion-node/api-token", token.toString())
                        .replace("/run/secrets/fusion-node/mqtt-users", users.toString());
        NodeOptions k8s =
                NodeOptions.fromJson(new JsonObject(local), "configmap node.json", Map.of());
        assertThat(k8s.http().host()).isEqualTo("0.0.0.0");
        assertThat(k8s.security().token()).isPresent();
        assertThat(k8s.mqtt().embedded().usersFile()).isPresent();

        NodeOptions iseauto =
                NodeOptions.fromJson(
                        new JsonObject(Files.readString(Path.of("deploy/iseauto/node.json"))),
                        "deploy/iseauto/node.json",
                        Map.of("FUSIONNODE_MQTT__PASSWORD", "x"));
        assertThat(iseauto.velodyne().enabled()).isTrue();
        assertThat(iseauto.record().enabled()).isTrue();
        assertThat(iseauto.capture().cameras()).hasSize(1);
        assertThat(iseauto.mqtt().embeddedBroker()).isFalse();
    }
}

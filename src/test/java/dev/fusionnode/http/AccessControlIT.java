package dev.fusionnode.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.config.BindAddresses;
import dev.fusionnode.config.ConfigException;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access rules, with curl as the client: binding beyond loopback needs a token; with one (given
 * through the environment), control endpoints answer 401 without it and 403 with a wrong one, reads
 * and health stay open (until {@code protectReads}); the {@code /ingest} WebSocket needs it; paths
 * given through the API stay inside their roots; oversize bodies are refused.
 */
class AccessControlIT {
    private static final String TOKEN = "s3cret-token-0123456789";

    @TempDir Path dir;

    private record Reply(int status, String body, String headers) {}

    private static Reply curl(String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of("curl", "-s", "-D", "-", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int nl = out.lastIndexOf('\n');
        return new Reply(
                Integer.parseInt(out.substring(nl + 1).strip()), out.substring(0, nl), out);
    }

    private static long filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }

    private static String auth(String token) {
        return "Authorization: Bearer " + token;
    }

    @Test
    void onlyLiteralLoopbackAddressesCountAsLoopback() {
        for (String host : List.of("127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]")) {
            assertThat(BindAddresses.loopback(host)).as(host).isTrue();
        }
        for (String host :
                List.of(
                        "127.0.0.1.nip.io",
                        "127.example.com",
                        "127.0.0.256",
                        "127.0.0",
                        "0.0.0.0",
                        "::",
                        "::ffff:10.0.0.1",
                        "10.0.0.1")) {
            assertThat(BindAddresses.loopback(host)).as(host).isFalse();
        }
        JsonObject nip =
                new JsonObject().put("http", new JsonObject().put("host", "127.0.0.1.nip.io"));
        assertThatThrownBy(() -> NodeOptions.fromJson(nip, "node.json", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("requires an API token");
    }

    @Test
    void bindingBeyondLoopbackNeedsAToken() {
        JsonObject json = new JsonObject().put("http", new JsonObject().put("host", "0.0.0.0"));
        assertThatThrownBy(() -> NodeOptions.fromJson(json, "node.json", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.host")
                .hasMessageContaining("requires an API token");
        assertThatThrownBy(
                        () ->
                                NodeOptions.fromJson(
                                        json,
                                        "node.json",
                                        Map.of("FUSIONNODE_SECURITY__TOKEN", "short")))
                .hasMessageContaining("at least 16 characters");
        NodeOptions ok =
                NodeOptions.fromJson(
                        json, "node.json", Map.of("FUSIONNODE_SECURITY__TOKEN", TOKEN));
        assertThat(ok.security().token()).contains(TOKEN);
        assertThat(ok.toString()).doesNotContain(TOKEN);
    }

    @Test
    void controlEndpointsNeedTheToken() throws Exception {
        Peer.CURL.require();
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put("inference", NodeConfigs.microFusion())
                        .put("mqtt", new JsonObject().put("enabled", false))
                        .put("security", new JsonObject().put("tokenFile", tokenFile.toString()))
                        .put("training", NodeConfigs.training(dir));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            String base = "http://127.0.0.1:" + rt.httpPort();
            // reads and health are open
            assertThat(curl(base + "/api/status").status()).isEqualTo(200);
            assertThat(curl(base + "/health/ready").status()).isEqualTo(200);
            assertThat(curl(base + "/metrics").status()).isEqualTo(200);
            // control: 401 without, 403 with a wrong token, through with the right one
            for (String[] c :
                    new String[][] {
                        {"POST", "/api/finetune"},
                        {"DELETE", "/api/finetune/nope"},
                        {"POST", "/api/models/activate"},
                        {"POST", "/api/annotations"},
                        {"POST", "/api/replay/pause"}
                    }) {
                Reply none = curl("-X", c[0], base + c[1]);
                assertThat(none.status()).as("%s %s without a token", c[0], c[1]).isEqualTo(401);
                assertThat(none.headers()).containsIgnoringCase("WWW-Authenticate: Bearer");
                Reply wrong = curl("-X", c[0], "-H", auth("not-the-token-at-all"), base + c[1]);
                assertThat(wrong.status()).as("%s %s wrong token", c[0], c[1]).isEqualTo(403);
                Reply right = curl("-X", c[0], "-H", auth(TOKEN), base + c[1]);
                assertThat(right.status()).as("%s %s right token", c[0], c[1]).isNotIn(401, 403);
            }
            assertThat(
                            curl("-X", "DELETE", "-H", auth(TOKEN), base + "/api/finetune/nope")
                                    .status())
                    .isEqualTo(404);
            // the /ingest WebSocket
            String[] upgrade = {
                "-H", "Connection: Upgrade", "-H", "Upgrade: websocket",
                "-H", "Sec-WebSocket-Version: 13", "-H",
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                "--max-time", "3"
            };
            for (String spelling : List.of("/ingest", "/ingest/", "/ingest/.", "/ingest//")) {
                List<String> noToken = new ArrayList<>(List.of(upgrade));
                noToken.add("--path-as-is");
                noToken.add(base + spelling);
                assertThat(curl(noToken.toArray(String[]::new)).status())
                        .as("WebSocket upgrade of %s without a token", spelling)
                        .isEqualTo(401);
            }
            // paths stay inside their roots
            Reply traversal = curl("--path-as-is", base + "/../../../../etc/passwd");
            assertThat(traversal.body()).doesNotContain("root:");
            Reply encoded = curl(base + "/api/frames/latest/..%2f..%2f..%2fetc%2fpasswd");
            assertThat(encoded.status()).isIn(400, 404);
            assertThat(encoded.body()).doesNotContain("root:");
            Reply version =
                    curl(
                            "-X",
                            "POST",
                            "-H",
                            auth(TOKEN),
                            "-d",
                            "{\"version\": \"../../../etc/passwd\"}",
                            base + "/api/models/activate");
            assertThat(version.status()).isEqualTo(404);
            // oversize bodies
            Path big = dir.resolve("big.json");
            Files.writeString(big, "{\"pad\": \"" + "x".repeat(200 * 1024) + "\"}");
            Reply oversize =
                    curl(
                            "-X",
                            "POST",
                            "-H",
                            auth(TOKEN),
                            "--data-binary",
                            "@" + big,
                            base + "/api/finetune");
            assertThat(oversize.status()).isEqualTo(413);
            assertThat(oversize.body()).contains("larger than this endpoint takes");
            // multipart bodies only where files are taken: no 500, no files left in ./file-uploads,
            // and no error in the log (a multipart GET once logged a 4.9 KB SEVERE stack trace)
            List<LogRecord> errors = new CopyOnWriteArrayList<>();
            Handler errorLog =
                    new Handler() {
                        @Override
                        public void publish(LogRecord r) {
                            if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                                errors.add(r);
                            }
                        }

                        @Override
                        public void flush() {}

                        @Override
                        public void close() {}
                    };
            Logger.getLogger("").addHandler(errorLog);
            Path part = dir.resolve("part.bin");
            Files.write(part, new byte[4096]);
            long uploadsBefore = filesIn(Path.of("file-uploads"));
            Reply health = curl("-X", "GET", "-F", "f=@" + part, base + "/health/live");
            assertThat(health.status()).as(health.body()).isEqualTo(415);
            Reply multipartJob =
                    curl(
                            "-X",
                            "POST",
                            "-H",
                            auth(TOKEN),
                            "-F",
                            "f=@" + part,
                            base + "/api/finetune");
            assertThat(multipartJob.status()).as(multipartJob.body()).isEqualTo(415);
            assertThat(multipartJob.body()).contains("/api/annotations");
            assertThat(filesIn(Path.of("file-uploads"))).isEqualTo(uploadsBefore);
            // an upload cut off at the limit leaves no partial file anywhere (it once stayed in
            // <tmpdir>/fusion-uploads): uploads are read in memory, up to the limit
            Path huge = dir.resolve("huge.png");
            Files.write(huge, new byte[65 << 20]);
            Path tmpUploads = Path.of(System.getProperty("java.io.tmpdir"), "fusion-uploads");
            long tmpBefore = filesIn(tmpUploads);
            Reply tooBig =
                    curl(
                            "-X",
                            "POST",
                            "-H",
                            auth(TOKEN),
                            "-H",
                            "Transfer-Encoding: chunked",
                            "-F",
                            "camera=@" + huge,
                            "-F",
                            "annotation=@" + part,
                            base + "/api/annotations");
            assertThat(tooBig.status()).as(tooBig.body()).isEqualTo(413);
            assertThat(tooBig.body()).contains("larger than this endpoint takes");
            assertThat(filesIn(tmpUploads)).isEqualTo(tmpBefore);
            assertThat(filesIn(Path.of("file-uploads"))).isEqualTo(uploadsBefore);
            Logger.getLogger("").removeHandler(errorLog);
            assertThat(errors).extracting(LogRecord::getMessage).isEmpty();
        } finally {
            rt.close();
        }

        // protectReads: reads need the token too, health stays open
        json.put(
                "security",
                new JsonObject().put("tokenFile", tokenFile.toString()).put("protectReads", true));
        json.put("inference", new JsonObject().put("enabled", false));
        json.put("training", new JsonObject().put("enabled", false));
        NodeHarness lockedNode =
                NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime locked = lockedNode.runtime();
        try {
            String base = "http://127.0.0.1:" + locked.httpPort();
            assertThat(curl(base + "/api/status").status()).isEqualTo(401);
            assertThat(curl(base + "/metrics").status()).isEqualTo(401);
            assertThat(curl("-H", auth(TOKEN), base + "/api/status").status()).isEqualTo(200);
            assertThat(curl(base + "/health/live").status()).isEqualTo(200);
            // the console's own files load without it (the page then asks for the token), and
            // nothing else does under their prefix
            assertThat(curl(base + "/console/").status()).isEqualTo(200);
            assertThat(curl(base + "/console/api.js").status()).isEqualTo(200);
            assertThat(curl("--path-as-is", base + "/console/../api/status").status())
                    .isEqualTo(401);
            assertThat(curl("--path-as-is", base + "/console/%2e%2e/metrics").status())
                    .isEqualTo(401);
            assertThat(curl(base + "/viewer.js").status()).isEqualTo(200);
            assertThat(curl(base + "/").status()).as("the viewer page").isEqualTo(401);
        } finally {
            locked.close();
        }
    }
}

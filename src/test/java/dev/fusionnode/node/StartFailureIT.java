package dev.fusionnode.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.cli.FusionNode;
import dev.fusionnode.testutil.Console;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A node that cannot start says why in one line and exits with code 3 at once: a missing checkpoint
 * or model config, a file that is not a checkpoint, a pickle that would run code, a tensor larger
 * than its data, a zip bomb, the HTTP port taken. (Before, it printed no reason, waited 120 s and
 * printed "node failed to start: null".)
 */
class StartFailureIT {
    @TempDir Path dir;

    private Console.Printed run(JsonObject config) throws Exception {
        Path file = dir.resolve("node-" + System.nanoTime() + ".json");
        Files.writeString(file, config.encodePrettily());
        return Console.capture(
                () -> new CommandLine(new FusionNode()).execute("run", "-c", file.toString()));
    }

    /** The reason line (stderr also carries the log). */
    private static String reason(Console.Printed p) {
        return p.err()
                .lines()
                .filter(l -> l.startsWith("node failed to start: "))
                .findFirst()
                .orElse("(no reason line in: " + p.err() + ")");
    }

    private static JsonObject node(String checkpoint, int httpPort) {
        return node("config/zod/clft/demo_fusion.json", checkpoint, httpPort);
    }

    private static JsonObject node(String config, String checkpoint, int httpPort) {
        return new JsonObject()
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
                .put(
                        "inference",
                        new JsonObject()
                                .put(
                                        "model",
                                        new JsonObject()
                                                .put("config", config)
                                                .put("checkpoint", checkpoint)))
                .put("mqtt", new JsonObject().put("enabled", false))
                .put("training", new JsonObject().put("enabled", false));
    }

    @Test
    @Timeout(60)
    void aMissingCheckpointIsNamedAndTheNodeExits() throws Exception {
        Console.Printed p = run(node(dir.resolve("missing.pth").toString(), 0));
        assertThat(p.code()).isEqualTo(3);
        assertThat(reason(p))
                .startsWith("node failed to start: ")
                .contains("missing.pth")
                .contains("not found")
                .doesNotContain("null");
    }

    @Test
    @Timeout(60)
    void aFileThatIsNotACheckpointIsNamed() throws Exception {
        Path bogus = dir.resolve("bogus.pth");
        Files.writeString(bogus, "this is not a checkpoint");
        Console.Printed p = run(node(bogus.toString(), 0));
        assertThat(p.code()).isEqualTo(3);
        assertThat(reason(p)).startsWith("node failed to start: ").contains("bogus.pth");
    }

    @Test
    @Timeout(60)
    void aTakenPortIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Console.Printed p = run(node("models/demo/demo_fusion.pth", taken.getLocalPort()));
            assertThat(p.code()).isEqualTo(3);
            assertThat(reason(p))
                    .startsWith("node failed to start: ")
                    .containsIgnoringCase("address already in use")
                    .contains(":" + taken.getLocalPort());
        }
    }

    @Test
    @Timeout(60)
    void aMissingModelConfigIsNamed() throws Exception {
        Console.Printed p =
                run(node(dir.resolve("missing.json").toString(), "models/demo/demo_fusion.pth", 0));
        assertThat(p.code()).isEqualTo(3);
        assertThat(reason(p)).startsWith("node failed to start: ").contains("missing.json");
    }

    @Test
    @Timeout(60)
    void aPickleThatWouldRunCodeIsRefusedUnrun() throws Exception {
        Path pwned = Path.of("/tmp/fusionnode-pwned");
        Files.deleteIfExists(pwned);
        Console.Printed p = run(node("src/test/resources/fixtures/torch/forbidden_global.pth", 0));
        assertThat(p.code()).isEqualTo(3);
        assertThat(reason(p)).contains("forbidden_global.pth").contains("os.system");
        assertThat(pwned).doesNotExist();
    }

    /** A state dict whose one tensor claims 10^12 float32 elements over a 16-byte record. */
    private static final String HUGE_TENSOR_PICKLE =
            "800263636f6c6c656374696f6e730a4f726465726564446963740a7100295271015806000000776569"
                    + "676874710263746f7263682e5f7574696c730a5f72656275696c645f74656e736f725f7632"
                    + "0a71032828580700000073746f72616765710463746f7263680a466c6f617453746f726167"
                    + "650a71055801000000307106580300000063707571078a060010a5d4e800747108514b008a"
                    + "060010a5d4e8008571094b0185710a8968002952710b74710c52710d732e";

    @Test
    @Timeout(60)
    void aTensorLargerThanItsDataIsRefused() throws Exception {
        Path huge = dir.resolve("huge.pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(huge))) {
            entry(z, "archive/data.pkl", HexFormat.of().parseHex(HUGE_TENSOR_PICKLE));
            entry(z, "archive/data/0", new byte[16]);
            entry(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        Console.Printed p = run(node(huge.toString(), 0));
        assertThat(p.code()).isEqualTo(3);
        assertThat(reason(p))
                .contains("huge.pth")
                .contains("1000000000000 float32 elements need 4000000000000");
    }

    @Test
    @Timeout(60)
    void aZipBombIsNeverInflated() throws Exception {
        // 1 GiB of zeros in a 1 MB file: an empty state dict beside one huge storage record
        Path bomb = dir.resolve("bomb.pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bomb))) {
            z.setLevel(Deflater.BEST_SPEED);
            entry(z, "archive/data.pkl", new byte[] {(byte) 0x80, 2, '}', 'q', 0, '.'});
            z.putNextEntry(new ZipEntry("archive/data/0"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        assertThat(Files.size(bomb)).isLessThan(8L << 20);
        long before = usedHeap();
        Console.Printed p = run(node(bomb.toString(), 0));
        assertThat(p.code()).isEqualTo(3);
        assertThat(reason(p)).contains("bomb.pth").contains("does not fit the model");
        assertThat(usedHeap() - before)
                .as("heap grown while refusing it (the record would take 1 GiB)")
                .isLessThan(512L << 20);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static void entry(ZipOutputStream z, String name, byte[] data) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(data);
        z.closeEntry();
    }
}

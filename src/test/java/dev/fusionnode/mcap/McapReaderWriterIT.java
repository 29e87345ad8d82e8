package dev.fusionnode.mcap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.testutil.NpmPeers;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's MCAP writer and reader: a round trip (zstd and uncompressed chunks); npm
 * {@code @mcap/core}'s indexed reader (summary, chunk indexes, CRCs) reads what the writer wrote; a
 * file cut at any byte reads up to the damage, which is reported; fuzzed files (random byte
 * changes) give only {@link BadInputException} or a report, never another exception or a hang.
 */
class McapReaderWriterIT {
    @TempDir Path dir;

    /** Writes {@code n} messages on three channels; returns their data by write order. */
    private static List<byte[]> write(Path file, McapWriter.Compression c, int n) throws Exception {
        List<byte[]> sent = new ArrayList<>();
        Random rnd = new Random(5);
        try (McapWriter w = McapWriter.create(file, c, 16 * 1024)) {
            w.schema(
                    1,
                    "foxglove.CompressedImage",
                    "jsonschema",
                    "{\"type\":\"object\"}".getBytes());
            w.schema(2, "foxglove.PointCloud", "jsonschema", "{}".getBytes());
            w.channel(1, 1, "/cam/image", "json", Map.of("camera", "front"));
            w.channel(2, 2, "/lidar", "json", Map.of());
            w.channel(3, 1, "/cam/mask", "json", Map.of());
            for (int i = 0; i < n; i++) {
                byte[] data = new byte[rnd.nextInt(3000)];
                for (int k = 0; k < data.length; k++) {
                    data[k] = (byte) (k % 7 == 0 ? rnd.nextInt() : i);
                }
                sent.add(data);
                w.message(1 + i % 3, i, 1_000_000L * i, 1_000_000L * i + 5, data);
            }
        }
        return sent;
    }

    @Test
    void roundTrip() throws Exception {
        for (McapWriter.Compression c : McapWriter.Compression.values()) {
            Path f = dir.resolve("rt-" + c + ".mcap");
            List<byte[]> sent = write(f, c, 600);
            try (McapReader r = McapReader.open(f)) {
                assertThat(r.complete()).isTrue();
                assertThat(r.damage()).isEmpty();
                assertThat(r.schemas()).containsOnlyKeys(1, 2);
                assertThat(r.channels().get(1).metadata()).containsEntry("camera", "front");
                assertThat(r.channel("/lidar").orElseThrow().schemaId()).isEqualTo(2);
                assertThat(r.messages()).hasSize(600);
                for (McapReader.MessageRef m : r.messages()) {
                    int i = (int) m.sequence();
                    assertThat(m.channelId()).isEqualTo(1 + i % 3);
                    assertThat(m.logTimeNs()).isEqualTo(1_000_000L * i);
                    assertThat(m.publishTimeNs()).isEqualTo(1_000_000L * i + 5);
                    assertThat(r.data(m)).isEqualTo(sent.get(i));
                }
            }
        }
    }

    @Test
    void mcapCoreReadsTheFile() throws Exception {
        Peer.requireNpm("@mcap/core", "@mcap/support");
        Path f = dir.resolve("core.mcap");
        // JSON payloads, as mcap_summary.mjs decodes the first message of each channel
        try (McapWriter w = McapWriter.create(f, McapWriter.Compression.ZSTD, 4096)) {
            w.schema(1, "fusion_node.Test", "jsonschema", "{\"type\":\"object\"}".getBytes());
            w.channel(1, 1, "/a", "json", Map.of());
            w.channel(2, 1, "/b", "json", Map.of("k", "v"));
            for (int i = 0; i < 300; i++) {
                byte[] json =
                        new JsonObject()
                                .put("i", i)
                                .put("pad", "x".repeat(i))
                                .encode()
                                .getBytes(StandardCharsets.UTF_8);
                w.message(1 + i % 2, i, 1000L * i, 1000L * i, json);
            }
        }
        JsonObject s = NpmPeers.mcapSummary(f);
        assertThat(s.getInteger("messageCount")).isEqualTo(300);
        assertThat(s.getJsonArray("schemas").getJsonObject(0).getString("name"))
                .isEqualTo("fusion_node.Test");
        assertThat(s.getJsonArray("channels").getJsonObject(0).getInteger("count")).isEqualTo(150);
        assertThat(s.getJsonArray("channels").getJsonObject(1).getString("topic")).isEqualTo("/b");
        assertThat(s.getJsonObject("first").getJsonObject("/b").getInteger("i")).isEqualTo(1);
    }

    @Test
    void cutShortReadsUpToTheDamage() throws Exception {
        Path f = dir.resolve("whole.mcap");
        List<byte[]> sent = write(f, McapWriter.Compression.ZSTD, 400);
        byte[] whole = Files.readAllBytes(f);
        int previous = 0;
        for (int cut = 8; cut < whole.length; cut += 211) {
            Path part = dir.resolve("cut.mcap");
            Files.write(part, Arrays.copyOf(whole, cut));
            try (McapReader r = McapReader.open(part)) {
                assertThat(r.complete()).isFalse();
                assertThat(r.damage()).get().asString().contains("cut short");
                assertThat(r.messages().size()).isGreaterThanOrEqualTo(previous);
                previous = r.messages().size();
                for (McapReader.MessageRef m : r.messages()) {
                    assertThat(r.data(m)).isEqualTo(sent.get((int) m.sequence()));
                }
            }
        }
        assertThat(previous).isGreaterThan(300);
        Files.write(dir.resolve("none.mcap"), "not an mcap file".getBytes());
        try {
            McapReader.open(dir.resolve("none.mcap"));
            throw new AssertionError("opened a non-MCAP file");
        } catch (BadInputException e) {
            assertThat(e.reason()).isEqualTo(BadInputReason.MALFORMED_RECORDING);
            assertThat(e.getMessage()).contains("not an MCAP file");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void fuzzedFilesNeverThrowAnythingElse() throws Exception {
        Path f = dir.resolve("seed.mcap");
        write(f, McapWriter.Compression.ZSTD, 60);
        Path g = dir.resolve("seed-raw.mcap");
        write(g, McapWriter.Compression.NONE, 60);
        byte[][] seeds = {Files.readAllBytes(f), Files.readAllBytes(g)};
        Random rnd = new Random(11);
        Path fuzz = dir.resolve("fuzz.mcap");
        int read = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = seeds[i % 2].clone();
            int changes = 1 + rnd.nextInt(6);
            for (int k = 0; k < changes; k++) {
                int at = rnd.nextInt(b.length);
                b[at] = rnd.nextInt(3) == 0 ? (byte) 0xFF : (byte) rnd.nextInt(256);
            }
            if (rnd.nextInt(5) == 0) {
                b = Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            Files.write(fuzz, b);
            try (McapReader r = McapReader.open(fuzz)) {
                for (McapReader.MessageRef m : r.messages()) {
                    r.data(m);
                    read++;
                }
            } catch (BadInputException e) {
                // refused: fine
            }
        }
        assertThat(read).isPositive();
    }
}

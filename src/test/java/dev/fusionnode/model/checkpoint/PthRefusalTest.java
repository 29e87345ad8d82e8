package dev.fusionnode.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.metrics.MicrometerBasedNodeMetrics;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.NodeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Verifies that files which are not safe, readable zip checkpoints are refused with {@link
 * BadInputReason#MALFORMED_CHECKPOINT} and a message that says what the file is.
 */
class PthRefusalTest {
    @TempDir Path dir;

    /**
     * Verifies that a valid zip whose pickle calls {@code os.system} is refused before anything
     * runs, naming the global.
     */
    @Test
    void forbiddenGlobal() {
        Path file = TorchFixtures.file("forbidden_global.pth");

        assertRefused(file, "global 'os.system'", "could run code");
        assertThat(Path.of("/tmp/fusionnode-pwned")).doesNotExist();
    }

    /** Verifies that fixtures of the wrong kind are named for what they are. */
    @ParameterizedTest
    @CsvSource({
        "legacy.pth, legacy PyTorch checkpoint",
        "scripted.pt, TorchScript archive",
        "manifest.json, not a PyTorch zip checkpoint"
    })
    void wrongKindOfFile(String fixture, String message) {
        assertRefused(TorchFixtures.file(fixture), message);
    }

    /** Verifies that a checkpoint cut short (mid-data or in the directory) is refused as such. */
    @Test
    void truncatedZip() throws IOException {
        byte[] real = Files.readAllBytes(TorchFixtures.file("state_dict.pth"));
        for (int keep : new int[] {real.length / 2, real.length - 10}) {
            Path cut = dir.resolve("cut" + keep + ".pth");
            Files.write(cut, Arrays.copyOf(real, keep));

            assertRefused(cut, "not a readable zip (truncated or corrupt)");
        }
    }

    /** Verifies that empty and missing files give clear errors. */
    @Test
    void emptyAndMissingFiles() throws IOException {
        Path empty = Files.write(dir.resolve("empty.pth"), new byte[0]);
        assertRefused(empty, "nothing (empty file)");

        assertThatThrownBy(() -> PthReader.load(dir.resolve("absent.pth")))
                .isInstanceOfSatisfying(
                        BadInputException.class,
                        e -> assertThat(e.reason()).isEqualTo(BadInputReason.MISSING_FILE));
    }

    /** Verifies that each class-building pickle opcode and unknown global is refused. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "stackGlobal | global 'builtins.eval'",
                "inst | instantiates a class",
                "storageCalled | calls a storage class torch.FloatStorage",
                "buildOnTensor | BUILD on a TorchTensor",
                "numpyGlobal | global 'numpy.core.multiarray._reconstruct'"
            })
    void unsafePickles(String which, String message) throws IOException {
        byte[] pickle =
                switch (which) {
                    case "stackGlobal" ->
                            new Pickle(4)
                                    .shortUnicode("builtins")
                                    .shortUnicode("eval")
                                    .op(0x93)
                                    .unicode("print('hi')")
                                    .op(0x85)
                                    .op('R')
                                    .stop();
                    case "inst" -> "(i__builtin__\nobject\n.".getBytes(StandardCharsets.US_ASCII);
                    case "storageCalled" ->
                            new Pickle(2).global("torch", "FloatStorage").op(')').op('R').stop();
                    case "buildOnTensor" -> new Pickle(2).tensor(4, 0, 4, 1).op('}').op('b').stop();
                    default ->
                            new Pickle(2)
                                    .global("numpy.core.multiarray", "_reconstruct")
                                    .op(')')
                                    .op('R')
                                    .stop();
                };
        Path file = zip(Map.of("data.pkl", pickle, "data/0", new byte[16]));

        assertRefused(file, message);
    }

    /** Verifies that storages that do not fit their persistent ids or views are refused. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "2 | 3 | 1 | 16 | reaches element 4 of storage 0, which has 4",
                "0 | 4 | 1 | 12 | has 12 bytes; 4 float32 elements need 16",
                "0 | 4 | 1 | -1 | storage record archive/data/0 is missing"
            })
    void storageMismatch(int offset, int size, int stride, int bytes, String message)
            throws IOException {
        byte[] pickle = new Pickle(2).tensor(4, offset, size, stride).stop();
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("data.pkl", pickle);
        if (bytes >= 0) {
            records.put("data/0", new byte[bytes]);
        }

        assertRefused(zip(records), message);
    }

    /** Verifies that a zip without data.pkl and big-endian storages are refused. */
    @Test
    void notAPyTorchZip() throws IOException {
        assertRefused(zip(Map.of("readme.txt", new byte[3])), "without <archive>/data.pkl");
        Map<String, byte[]> big = new LinkedHashMap<>();
        big.put("data.pkl", new Pickle(2).tensor(4, 0, 4, 1).stop());
        big.put("byteorder", "big".getBytes(StandardCharsets.US_ASCII));
        big.put("data/0", new byte[16]);
        assertRefused(zip(big), "'big'-endian");
    }

    /** Verifies that a tree without a state dict, or with a non-tensor entry, is refused. */
    @Test
    void noStateDict() {
        assertThatThrownBy(() -> Checkpoint.of(List.of(1, 2), "list").stateDict())
                .hasMessageContaining("no state dict in a ");
        Map<String, Object> trainer = new LinkedHashMap<>();
        trainer.put("model_state_dict", Map.of("w", 3));
        assertThatThrownBy(() -> Checkpoint.of(trainer, "t").stateDict())
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("state dict entry 'w' is a Integer, not a tensor");
    }

    /** Verifies that the new reason is counted under its own tag, like the others. */
    @Test
    void reasonHasACounter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        NodeMetrics metrics = new MicrometerBasedNodeMetrics(registry);

        metrics.badInput(BadInputReason.MALFORMED_CHECKPOINT);

        assertThat(BadInputReason.MALFORMED_CHECKPOINT.asTag()).isEqualTo("malformed_checkpoint");
        assertThat(
                        registry.get(NodeMetrics.BAD_INPUT)
                                .tag("reason", "malformed_checkpoint")
                                .counter()
                                .count())
                .isEqualTo(1.0);
    }

    private Path zip(Map<String, byte[]> records) throws IOException {
        Path file = Files.createTempFile(dir, "handmade", ".pth");
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> r : records.entrySet()) {
                zip.putNextEntry(new ZipEntry("archive/" + r.getKey()));
                zip.write(r.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private static void assertRefused(Path file, String... messageParts) {
        assertThatThrownBy(() -> PthReader.load(file))
                .isInstanceOfSatisfying(
                        BadInputException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(BadInputReason.MALFORMED_CHECKPOINT);
                            assertThat(e.getMessage()).startsWith(file.toString());
                            for (String part : messageParts) {
                                assertThat(e.getMessage()).contains(part);
                            }
                        });
    }

    /** Assembles pickle opcodes by hand. */
    private static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle(int protocol) {
            op(0x80).op(protocol);
        }

        Pickle op(int code) {
            out.write(code);
            return this;
        }

        Pickle global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle shortUnicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op(0x8c).op(b.length);
            out.writeBytes(b);
            return this;
        }

        Pickle unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X').op(b.length).op(0).op(0).op(0);
            out.writeBytes(b);
            return this;
        }

        Pickle smallInt(int v) {
            return op('K').op(v);
        }

        /** {@code _rebuild_tensor_v2(('storage', FloatStorage, '0', 'cpu', numel), ...)}. */
        Pickle tensor(int numel, int offset, int size, int stride) {
            global("torch._utils", "_rebuild_tensor_v2").op('(').op('(');
            unicode("storage").global("torch", "FloatStorage").unicode("0").unicode("cpu");
            smallInt(numel).op('t').op('Q');
            smallInt(offset).smallInt(size).op(0x85).smallInt(stride).op(0x85).op(0x89);
            global("collections", "OrderedDict").op(')').op('R');
            return op('t').op('R');
        }

        byte[] stop() {
            out.write('.');
            return out.toByteArray();
        }
    }
}

package dev.fusionnode.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that {@link PthWriter} writes what {@link PthReader} reads back unchanged, in PyTorch's
 * layout: records aligned to 64 bytes, one storage per tensor, the same bytes every time.
 */
class PthWriterTest {
    @TempDir Path dir;

    /** Verifies that a tree of every supported value type survives a save and a load. */
    @Test
    void roundTripOfEveryValueType() {
        Map<String, Object> sd = new LinkedHashMap<>();
        for (TorchDType t : TorchDType.values()) {
            byte[] bytes = new byte[6 * t.itemSize()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (t == TorchDType.BOOL ? i % 2 : 17 * i + t.ordinal());
            }
            sd.put("w_" + t.pythonName(), TorchTensor.wrap(t, ByteBuffer.wrap(bytes), 2, 3));
        }
        sd.put("scalar", TorchTensor.ofFloats(new float[] {2.5f}));
        sd.put("empty", TorchTensor.ofFloats(new float[0], 0, 4));
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("zeta", 1);
        plain.put("alpha", List.of(1L << 40, -3, 2.5, "ünïcode", true, false));
        plain.put("none", null);
        plain.put("tuple", new Object[] {0.9, 0.999});
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("sd", sd);
        root.put("plain", Collections.unmodifiableMap(plain));
        root.put(7, new ArrayList<>(List.of(sd.get("scalar"))));
        Path file = dir.resolve("all.pth");

        PthWriter.save(file, root);
        Map<?, ?> back = (Map<?, ?>) PthReader.load(file);

        assertThat(List.copyOf(back.keySet())).isEqualTo(List.of("sd", "plain", 7));
        Map<?, ?> sdBack = (Map<?, ?>) back.get("sd");
        assertThat(List.copyOf(sdBack.keySet())).isEqualTo(List.copyOf(sd.keySet()));
        for (String k : sd.keySet()) {
            assertThat(((TorchTensor) sdBack.get(k)).contentEquals((TorchTensor) sd.get(k)))
                    .as(k)
                    .isTrue();
        }
        Map<?, ?> plainBack = (Map<?, ?>) back.get("plain");
        assertThat(List.copyOf(plainBack.keySet()))
                .isEqualTo(List.of("zeta", "alpha", "none", "tuple"));
        assertThat(plainBack.get("alpha"))
                .isEqualTo(List.of(1L << 40, -3, 2.5, "ünïcode", true, false));
        assertThat(plainBack.get("none")).isNull();
        assertThat((Object[]) plainBack.get("tuple")).containsExactly(0.9, 0.999);
        assertThat(((TorchTensor) ((List<?>) back.get(7)).get(0)).toFloats()).containsExactly(2.5f);
        assertThat(dir.resolve("all.pth.part")).doesNotExist();
    }

    /**
     * Verifies the zip layout: stored entries whose data start at multiples of 64, one storage per
     * distinct tensor, byteorder and version records.
     */
    @Test
    void pytorchLayout() throws IOException {
        TorchTensor shared = TorchTensor.ofFloats(new float[] {1, 2, 3}, 3);
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("a", shared);
        sd.put("b", shared);
        sd.put("c", TorchTensor.ofLongs(new long[] {5}, 1));
        Path file = dir.resolve("layout.pth");

        PthWriter.save(file, sd);

        Map<String, Long> offsets = dataOffsets(Files.readAllBytes(file));
        assertThat(offsets.keySet())
                .containsExactly(
                        "archive/data.pkl",
                        "archive/byteorder",
                        "archive/data/0",
                        "archive/data/1",
                        "archive/version");
        assertThat(offsets.values()).allMatch(o -> o % 64 == 0);
        Map<String, TorchTensor> back = Checkpoint.load(file).stateDict();
        assertThat(back.get("b").toFloats()).containsExactly(1, 2, 3);
        assertThat(back.get("c").toLongs()).containsExactly(5);
    }

    /** Verifies that saving the same tree twice gives the same bytes. */
    @Test
    void deterministic() throws IOException {
        Map<String, TorchTensor> sd =
                Checkpoint.load(TorchFixtures.file("state_dict.pth")).stateDict();
        Path first = dir.resolve("first.pth");
        Path second = dir.resolve("second.pth");

        PthWriter.save(first, new LinkedHashMap<>(sd));
        PthWriter.save(second, new LinkedHashMap<>(sd));

        assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
    }

    /** Verifies that a Python checkpoint read and written back holds the same tensors. */
    @Test
    void rewritesPythonCheckpoints() {
        Checkpoint c = Checkpoint.load(TorchFixtures.file("trainer_checkpoint.pth"));
        Path file = dir.resolve("again.pth");

        PthWriter.saveTrainer(file, 4, c.stateDict(), c.optimizerState().orElseThrow());
        Checkpoint back = Checkpoint.load(file);

        assertThat(back.kind()).isEqualTo(Checkpoint.Kind.TRAINER);
        assertThat(back.epoch()).hasValue(4);
        c.stateDict()
                .forEach((k, t) -> assertThat(back.stateDict().get(k).contentEquals(t)).isTrue());
        TorchTensor avg =
                (TorchTensor) TorchFixtures.at(back.root(), "optimizer_state_dict/state/2/exp_avg");
        TorchTensor orig =
                (TorchTensor) TorchFixtures.at(c.root(), "optimizer_state_dict/state/2/exp_avg");
        assertThat(avg.contentEquals(orig)).isTrue();
    }

    /** Verifies that values PyTorch cannot load are refused with their path, before any write. */
    @Test
    void refusesUnsupportedValues() {
        Map<String, Object> tree = Map.of("outer", Map.of("inner", List.of(1, new Object())));
        Path file = dir.resolve("bad.pth");

        assertThatThrownBy(() -> PthWriter.save(file, tree))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object at <root>/outer/inner/1");
        assertThat(file).doesNotExist();
    }

    /** Verifies the fresh Adam state's layout. */
    @Test
    void freshAdamState() {
        Map<String, Object> adam = PthWriter.freshAdamState(3, 1e-4);

        assertThat((Map<?, ?>) adam.get("state")).isEmpty();
        Map<?, ?> group = (Map<?, ?>) ((List<?>) adam.get("param_groups")).get(0);
        assertThat(group.get("params")).isEqualTo(List.of(0, 1, 2));
        assertThat(group.get("lr")).isEqualTo(1e-4);
    }

    /** Data offset of each entry, from the local headers (all entries are stored). */
    private static Map<String, Long> dataOffsets(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Long> out = new LinkedHashMap<>();
        int pos = 0;
        while (b.getInt(pos) == 0x04034b50) {
            assertThat(b.getShort(pos + 8)).as("method STORED").isZero();
            int size = b.getInt(pos + 18);
            int nameLen = b.getShort(pos + 26) & 0xFFFF;
            int extraLen = b.getShort(pos + 28) & 0xFFFF;
            String name = new String(zip, pos + 30, nameLen, StandardCharsets.UTF_8);
            int data = pos + 30 + nameLen + extraLen;
            out.put(name, (long) data);
            pos = data + size;
        }
        return out;
    }
}

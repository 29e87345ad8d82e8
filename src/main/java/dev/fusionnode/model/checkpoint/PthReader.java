package dev.fusionnode.model.checkpoint;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads PyTorch checkpoints in the zip format {@code torch.save} writes since 1.6 ({@code
 * <archive>/data.pkl} + {@code <archive>/data/<key>} storages) without running any code. The zip is
 * read with random access; each storage is read once, and tensors that are contiguous runs of it
 * share its bytes.
 *
 * <p>The tree holds {@link TorchTensor}s (parameters too), {@code LinkedHashMap}s for dicts and
 * OrderedDicts (order kept, {@code _metadata} dropped), {@code ArrayList}s, {@code Object[]} for
 * tuples, {@code Integer}/{@code Long}, {@code Double}, {@code String}, {@code Boolean} and null.
 */
public final class PthReader {
    /** The pickled magic number that starts a legacy (pre-1.6) {@code torch.save} file. */
    private static final byte[] LEGACY_MAGIC = {
        (byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9
    };

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private PthReader() {}

    /**
     * Loads the object tree of a checkpoint.
     *
     * @throws BadInputException with {@link BadInputReason#MISSING_FILE} when the file cannot be
     *     read, or {@link BadInputReason#MALFORMED_CHECKPOINT} when it is not a readable zip
     *     checkpoint (legacy format, TorchScript, truncated, or a pickle that references code)
     * @throws NullPointerException if {@code file} is null
     */
    public static Object load(Path file) {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        checkMagic(file, source);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            PthArchive archive = PthArchive.open(zip, source);
            byte[] pickle = archive.readPickle();
            TorchUnpickler unpickler = new TorchUnpickler(source, archive::readStorage);
            try {
                return unpickler.loads(pickle);
            } finally {
                unpickler.close();
            }
        } catch (BadInputException e) {
            throw e;
        } catch (ZipException e) {
            throw bad(source, "not a readable zip (truncated or corrupt): " + e.getMessage(), e);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw bad(source, "data.pkl does not unpickle: " + e, e);
        }
    }

    private static void checkMagic(Path file, String source) {
        byte[] head = new byte[LEGACY_MAGIC.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new BadInputException(BadInputReason.MISSING_FILE, file, "file not found", e);
        } catch (IOException e) {
            throw new BadInputException(
                    BadInputReason.MISSING_FILE, file, "cannot read checkpoint: " + e, e);
        }
        if (n >= ZIP_MAGIC.length && Arrays.equals(head, 0, 4, ZIP_MAGIC, 0, 4)) {
            return;
        }
        if (n == LEGACY_MAGIC.length && Arrays.equals(head, LEGACY_MAGIC)) {
            throw bad(
                    source,
                    "legacy PyTorch checkpoint (torch.save before 1.6, or"
                            + " _use_new_zipfile_serialization=False); re-save it with torch.save"
                            + " in PyTorch 1.6 or newer to get the zip format",
                    null);
        }
        throw bad(
                source,
                "not a PyTorch zip checkpoint: it starts with "
                        + hex(head, n)
                        + " instead of a zip header (PK\\3\\4)",
                null);
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder(n == 0 ? "nothing (empty file)" : "");
        for (int i = 0; i < n; i++) {
            s.append(String.format("%02x", b[i] & 0xFF));
        }
        return s.toString();
    }

    static BadInputException bad(String source, String problem, Throwable cause) {
        return new BadInputException(BadInputReason.MALFORMED_CHECKPOINT, source, problem, cause);
    }

    /** Wraps record bytes as a little-endian buffer. */
    static ByteBuffer littleEndian(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}

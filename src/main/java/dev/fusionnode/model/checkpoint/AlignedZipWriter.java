package dev.fusionnode.model.checkpoint;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes uncompressed zip entries whose data starts on a 64-byte boundary, as PyTorch does, by
 * padding the local header with an extra field ({@code "FB"}, PyTorch's id). Timestamps are fixed
 * so equal content gives equal bytes.
 */
final class AlignedZipWriter implements AutoCloseable {
    private static final int ALIGNMENT = 64;
    private static final int LOCAL_HEADER = 30;
    // not 1980-01-01 00:00, which Java stores as an extra timestamp field that would shift the data
    private static final LocalDateTime EPOCH = LocalDateTime.of(2000, 1, 1, 0, 0);

    private final Counting counter;
    private final ZipOutputStream zip;
    private final byte[] chunk = new byte[1 << 20];

    AlignedZipWriter(OutputStream out) {
        this.counter = new Counting(out);
        this.zip = new ZipOutputStream(counter);
    }

    /** Writes one stored entry with the remaining bytes of {@code data}. */
    void write(String name, ByteBuffer data) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(data.duplicate());
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.remaining());
        e.setCompressedSize(data.remaining());
        e.setCrc(crc.getValue());
        e.setTimeLocal(EPOCH);
        long start =
                counter.count
                        + LOCAL_HEADER
                        + name.getBytes(StandardCharsets.UTF_8).length
                        + 4; // the extra field's own header
        int pad = (int) ((ALIGNMENT - start % ALIGNMENT) % ALIGNMENT);
        byte[] extra = new byte[4 + pad];
        extra[0] = 'F';
        extra[1] = 'B';
        extra[2] = (byte) pad;
        e.setExtra(extra);
        zip.putNextEntry(e);
        ByteBuffer src = data.duplicate();
        while (src.hasRemaining()) {
            int n = Math.min(chunk.length, src.remaining());
            src.get(chunk, 0, n);
            zip.write(chunk, 0, n);
        }
        zip.closeEntry();
    }

    /** {@inheritDoc} */
    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** Counts the bytes that reach the file, to place each local header. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}

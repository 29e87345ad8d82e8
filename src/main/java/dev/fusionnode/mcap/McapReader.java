package dev.fusionnode.mcap;

import com.github.luben.zstd.Zstd;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Reads an MCAP file record by record from the start (so that a recording cut short reads up to its
 * last whole record, and its damage is reported), keeping for each message where it lies; message
 * data is read on demand, one decompressed chunk cached. Chunks with {@code zstd} or no compression
 * are read; a chunk whose CRC does not match is skipped and reported. Not thread-safe.
 */
public final class McapReader implements AutoCloseable {
    /** A schema record. */
    public record Schema(int id, String name, String encoding, byte[] data) {}

    /** A channel record. */
    public record Channel(
            int id,
            int schemaId,
            String topic,
            String messageEncoding,
            Map<String, String> metadata) {}

    /**
     * Where one message lies.
     *
     * @param channelId channel
     * @param sequence sequence number
     * @param logTimeNs log time
     * @param publishTimeNs publish time
     * @param chunk index into the chunks read (-1: a message outside any chunk)
     * @param offset offset of the data in the chunk's records (or in the file)
     * @param length data length
     */
    public record MessageRef(
            int channelId,
            long sequence,
            long logTimeNs,
            long publishTimeNs,
            int chunk,
            long offset,
            int length) {}

    private record ChunkRef(
            long dataOffset, long storedLength, long rawLength, String compression) {}

    private static final long MAX_RECORD = 1L << 31;
    private static final long MAX_CHUNK = 256L << 20;

    private final FileChannel file;
    private final Path path;
    private final long size;
    private final Map<Integer, Schema> schemas = new LinkedHashMap<>();
    private final Map<Integer, Channel> channels = new LinkedHashMap<>();
    private final List<ChunkRef> chunks = new ArrayList<>();
    private final List<MessageRef> messages = new ArrayList<>();
    private List<MessageRef> fileOrder = List.of();
    private final List<String> problems = new ArrayList<>();
    private boolean complete;
    private int cachedChunk = -1;
    private byte[] cached;

    private McapReader(FileChannel file, Path path) throws IOException {
        this.file = file;
        this.path = path;
        this.size = file.size();
    }

    /**
     * Opens and indexes a file.
     *
     * @throws BadInputException {@link BadInputReason#MISSING_FILE} or {@link
     *     BadInputReason#MALFORMED_RECORDING} when it is not an MCAP file at all; damage after the
     *     header is reported by {@link #damage()} instead
     */
    public static McapReader open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new BadInputException(
                    BadInputReason.MISSING_FILE, path, "cannot be read: " + e.getMessage(), e);
        }
        try {
            McapReader r = new McapReader(ch, path);
            r.scan();
            r.fileOrder = List.copyOf(r.messages);
            r.messages.sort(Comparator.comparingLong(MessageRef::logTimeNs));
            return r;
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING, path, "cannot be read: " + e, e);
        }
    }

    /** Schemas by id. */
    public Map<Integer, Schema> schemas() {
        return Collections.unmodifiableMap(schemas);
    }

    /** Channels by id. */
    public Map<Integer, Channel> channels() {
        return Collections.unmodifiableMap(channels);
    }

    /** The channel of a topic, if any. */
    public Optional<Channel> channel(String topic) {
        return channels.values().stream().filter(c -> c.topic().equals(topic)).findFirst();
    }

    /** Every message found, by log time (stable for equal times). */
    public List<MessageRef> messages() {
        return Collections.unmodifiableList(messages);
    }

    /** Every message found, in the order the file holds them (the order they were written). */
    public List<MessageRef> messagesInFileOrder() {
        return fileOrder;
    }

    /** True when the file ended with its footer and magic. */
    public boolean complete() {
        return complete;
    }

    /** What was wrong with the file (truncation, bad chunks), if anything. */
    public Optional<String> damage() {
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** The data of a message. */
    public byte[] data(MessageRef m) {
        try {
            if (m.chunk() < 0) {
                return read(m.offset(), m.length());
            }
            byte[] raw = chunk(m.chunk());
            return Arrays.copyOfRange(raw, (int) m.offset(), (int) m.offset() + m.length());
        } catch (IOException e) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING, path, "cannot be read: " + e, e);
        }
    }

    private void scan() throws IOException {
        if (size < McapFormat.MAGIC.length
                || !Arrays.equals(read(0, McapFormat.MAGIC.length), McapFormat.MAGIC)) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING,
                    path,
                    "is not an MCAP file (no MCAP magic at its start)");
        }
        long pos = McapFormat.MAGIC.length;
        while (true) {
            if (pos == size) {
                problems.add("ends at byte " + pos + " without a footer (cut short)");
                return;
            }
            if (pos + 9 > size) {
                problems.add("ends inside a record header at byte " + pos + " (cut short)");
                return;
            }
            ByteBuffer head = ByteBuffer.wrap(read(pos, 9)).order(ByteOrder.LITTLE_ENDIAN);
            int op = head.get() & 0xFF;
            long len = head.getLong();
            if (len < 0 || len > MAX_RECORD || pos + 9 + len > size) {
                problems.add(
                        "record 0x"
                                + Integer.toHexString(op)
                                + " at byte "
                                + pos
                                + " claims "
                                + len
                                + " bytes but "
                                + (size - pos - 9)
                                + " remain (cut short)");
                return;
            }
            long body = pos + 9;
            try {
                switch (op) {
                    case McapFormat.OP_SCHEMA, McapFormat.OP_CHANNEL ->
                            definition(op, buf(read(body, (int) len)));
                    case McapFormat.OP_MESSAGE -> {
                        ByteBuffer b = buf(read(body, (int) Math.min(len, 22)));
                        message(b, -1, body + 22, (int) (len - 22));
                    }
                    case McapFormat.OP_CHUNK -> chunkRecord(body, len);
                    case McapFormat.OP_FOOTER -> {
                        if (pos + 9 + len + McapFormat.MAGIC.length <= size
                                && Arrays.equals(
                                        read(pos + 9 + len, McapFormat.MAGIC.length),
                                        McapFormat.MAGIC)) {
                            complete = true;
                        } else {
                            problems.add("footer without the closing magic");
                        }
                        return;
                    }
                    default -> {} // indexes, statistics, data end: rebuilt from the data
                }
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                problems.add(
                        "record 0x"
                                + Integer.toHexString(op)
                                + " at byte "
                                + pos
                                + " is malformed");
                return;
            }
            pos = body + len;
        }
    }

    private void definition(int op, ByteBuffer b) {
        if (op == McapFormat.OP_SCHEMA) {
            int id = b.getShort() & 0xFFFF;
            String name = string(b);
            String enc = string(b);
            byte[] data = bytes(b, b.getInt());
            schemas.putIfAbsent(id, new Schema(id, name, enc, data));
        } else {
            int id = b.getShort() & 0xFFFF;
            int schema = b.getShort() & 0xFFFF;
            String topic = string(b);
            String enc = string(b);
            int mapLen = b.getInt();
            check(mapLen, b);
            Map<String, String> meta = new LinkedHashMap<>();
            int end = b.position() + mapLen;
            while (b.position() < end) {
                meta.put(string(b), string(b));
            }
            channels.putIfAbsent(id, new Channel(id, schema, topic, enc, meta));
        }
    }

    private void message(ByteBuffer b, int chunk, long dataOffset, int dataLength) {
        if (dataLength < 0) {
            throw new IllegalArgumentException("short message");
        }
        int channel = b.getShort() & 0xFFFF;
        long seq = b.getInt() & 0xFFFFFFFFL;
        long log = b.getLong();
        long pub = b.getLong();
        messages.add(new MessageRef(channel, seq, log, pub, chunk, dataOffset, dataLength));
    }

    private void chunkRecord(long body, long len) throws IOException {
        ByteBuffer h = buf(read(body, (int) Math.min(len, 8 + 8 + 8 + 4 + 4 + 64)));
        h.getLong(); // start
        h.getLong(); // end
        long raw = h.getLong();
        long crc = h.getInt() & 0xFFFFFFFFL;
        String compression = string(h);
        long stored = h.getLong();
        long dataAt = body + h.position();
        if (stored < 0
                || dataAt + stored > body + len
                || raw < 0
                || raw > MAX_CHUNK
                || (compression.isEmpty() && raw != stored)) {
            problems.add("chunk at byte " + (body - 9) + " has inconsistent sizes (skipped)");
            return;
        }
        if (!compression.isEmpty() && !compression.equals("zstd")) {
            problems.add(
                    "chunk at byte "
                            + (body - 9)
                            + " uses '"
                            + compression
                            + "' (not read; zstd or"
                            + " none are)");
            return;
        }
        int index = chunks.size();
        chunks.add(new ChunkRef(dataAt, stored, raw, compression));
        byte[] records;
        try {
            records = chunk(index);
        } catch (RuntimeException e) {
            problems.add("chunk at byte " + (body - 9) + " does not decompress (skipped)");
            chunks.set(index, new ChunkRef(dataAt, 0, 0, ""));
            return;
        }
        if (crc != 0) {
            CRC32 c = new CRC32();
            c.update(records);
            if (c.getValue() != crc) {
                problems.add("chunk at byte " + (body - 9) + " fails its CRC (skipped)");
                return;
            }
        }
        ByteBuffer b = buf(records);
        while (b.remaining() >= 9) {
            int op = b.get() & 0xFF;
            long l = b.getLong();
            if (l < 0 || l > b.remaining()) {
                problems.add("chunk at byte " + (body - 9) + " holds a cut record");
                return;
            }
            int start = b.position();
            ByteBuffer r = b.slice(start, (int) l).order(ByteOrder.LITTLE_ENDIAN);
            switch (op) {
                case McapFormat.OP_SCHEMA, McapFormat.OP_CHANNEL -> definition(op, r);
                case McapFormat.OP_MESSAGE -> message(r, index, start + 22, (int) l - 22);
                default -> {}
            }
            b.position(start + (int) l);
        }
    }

    private byte[] chunk(int index) throws IOException {
        if (index == cachedChunk) {
            return cached;
        }
        ChunkRef c = chunks.get(index);
        byte[] stored = read(c.dataOffset(), (int) c.storedLength());
        byte[] raw =
                c.compression().isEmpty() ? stored : Zstd.decompress(stored, (int) c.rawLength());
        if (raw.length != c.rawLength()) {
            throw new IllegalArgumentException("chunk decompressed to " + raw.length + " bytes");
        }
        cachedChunk = index;
        cached = raw;
        return raw;
    }

    private byte[] read(long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (file.read(b, at + b.position()) < 0) {
                throw new IOException("unexpected end of " + path);
            }
        }
        return b.array();
    }

    private static ByteBuffer buf(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String string(ByteBuffer b) {
        return new String(bytes(b, b.getInt()), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        check(n, b);
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static void check(int n, ByteBuffer b) {
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("length " + n + " beyond the record");
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}

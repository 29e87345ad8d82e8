package dev.fusionnode.mcap;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Writes an MCAP file (format version 0, https://mcap.dev/spec): header, schemas and channels,
 * messages in chunks (zstd-compressed or not) each followed by its message indexes, then the data
 * end, a summary (schemas, channels, statistics, chunk indexes), summary offsets and the footer, so
 * that indexed readers can seek and a file cut short still reads up to its last whole chunk.
 * Messages must come in log-time order per chunk for the index to be useful (they may overlap
 * across chunks). Not thread-safe.
 */
public final class McapWriter implements AutoCloseable {
    /** Chunk compression. */
    public enum Compression {
        /** No compression. */
        NONE(""),
        /** Zstandard (level 3). */
        ZSTD("zstd");

        final String id;

        Compression(String id) {
            this.id = id;
        }
    }

    private final FileChannel out;
    private final Compression compression;
    private final int chunkBytes;
    private final CRC32 dataCrc = new CRC32();
    private long position;
    private final Map<Integer, byte[]> schemas = new LinkedHashMap<>();
    private final Map<Integer, byte[]> channels = new LinkedHashMap<>();
    private final Map<Integer, Long> channelCounts = new TreeMap<>();
    private final List<byte[]> chunkIndexes = new ArrayList<>();
    private final Buf chunk = new Buf();
    private final Map<Integer, Buf> chunkMessageIndex = new TreeMap<>();
    private long chunkStart = Long.MAX_VALUE;
    private long chunkEnd = Long.MIN_VALUE;
    private long messages;
    private long firstTime = Long.MAX_VALUE;
    private long lastTime = Long.MIN_VALUE;
    private int chunks;
    private boolean closed;
    private boolean dataEnded;

    private McapWriter(FileChannel out, Compression compression, int chunkBytes, String profile)
            throws IOException {
        this.out = out;
        this.compression = compression;
        this.chunkBytes = chunkBytes;
        writeRaw(McapFormat.MAGIC);
        Buf h = new Buf();
        h.string(profile).string("fusion-node");
        record(McapFormat.OP_HEADER, h);
    }

    /**
     * Creates {@code file} (replacing it).
     *
     * @param chunkBytes uncompressed bytes gathered per chunk (1-8 MiB is usual)
     */
    public static McapWriter create(Path file, Compression compression, int chunkBytes)
            throws IOException {
        return create(file, compression, chunkBytes, "");
    }

    /**
     * Creates {@code file} (replacing it) with a header naming its profile ({@code ros2} for a ROS
     * 2 bag).
     */
    public static McapWriter create(
            Path file, Compression compression, int chunkBytes, String profile) throws IOException {
        FileChannel ch =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new McapWriter(ch, compression, chunkBytes, profile);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Registers a schema (written at once). */
    public void schema(int id, String name, String encoding, byte[] data) throws IOException {
        Buf b = new Buf();
        b.u16(id).string(name).string(encoding).bytes32(data);
        schemas.put(id, b.toByteArray());
        record(McapFormat.OP_SCHEMA, b);
    }

    /** Registers a channel (written at once). */
    public void channel(
            int id, int schemaId, String topic, String messageEncoding, Map<String, String> meta)
            throws IOException {
        Buf b = new Buf();
        b.u16(id).u16(schemaId).string(topic).string(messageEncoding).map(meta);
        channels.put(id, b.toByteArray());
        channelCounts.putIfAbsent(id, 0L);
        record(McapFormat.OP_CHANNEL, b);
    }

    /** Adds a message to the current chunk (which is written when full). */
    public void message(
            int channelId, long sequence, long logTimeNs, long publishTimeNs, byte[] data)
            throws IOException {
        if (!channels.containsKey(channelId)) {
            throw new IllegalArgumentException("channel " + channelId + " was not registered");
        }
        long offset = chunk.size();
        chunk.u8(McapFormat.OP_MESSAGE).u64(2 + 4 + 8 + 8 + data.length);
        chunk.u16(channelId).u32(sequence).u64(logTimeNs).u64(publishTimeNs).raw(data);
        chunkMessageIndex.computeIfAbsent(channelId, c -> new Buf()).u64(logTimeNs).u64(offset);
        chunkStart = Math.min(chunkStart, logTimeNs);
        chunkEnd = Math.max(chunkEnd, logTimeNs);
        firstTime = Math.min(firstTime, logTimeNs);
        lastTime = Math.max(lastTime, logTimeNs);
        messages++;
        channelCounts.merge(channelId, 1L, Long::sum);
        if (chunk.size() >= chunkBytes) {
            flushChunk();
        }
    }

    /** Messages written so far. */
    public long messages() {
        return messages;
    }

    /** Bytes in the file so far (the chunk being gathered not included). */
    public long bytesWritten() {
        return position;
    }

    /** Writes the chunk being gathered, if any, and forces the file to disk. */
    public void sync() throws IOException {
        flushChunk();
        out.force(false);
    }

    private void flushChunk() throws IOException {
        if (chunk.size() == 0) {
            return;
        }
        byte[] raw = chunk.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(raw);
        byte[] stored = compression == Compression.ZSTD ? Zstd.compress(raw, 3) : raw;
        Buf c = new Buf();
        c.u64(chunkStart).u64(chunkEnd).u64(raw.length).u32(crc.getValue()).string(compression.id);
        c.u64(stored.length).raw(stored);
        long chunkOffset = position;
        record(McapFormat.OP_CHUNK, c);
        long chunkLength = position - chunkOffset;
        Map<Integer, Long> indexOffsets = new TreeMap<>();
        long indexStart = position;
        for (var e : chunkMessageIndex.entrySet()) {
            indexOffsets.put(e.getKey(), position);
            Buf mi = new Buf();
            byte[] entries = e.getValue().toByteArray();
            mi.u16(e.getKey()).u32(entries.length).raw(entries);
            record(McapFormat.OP_MESSAGE_INDEX, mi);
        }
        Buf ci = new Buf();
        ci.u64(chunkStart).u64(chunkEnd).u64(chunkOffset).u64(chunkLength);
        Buf offsets = new Buf();
        indexOffsets.forEach((ch, off) -> offsets.u16(ch).u64(off));
        byte[] ob = offsets.toByteArray();
        ci.u32(ob.length).raw(ob);
        ci.u64(position - indexStart).string(compression.id).u64(stored.length).u64(raw.length);
        chunkIndexes.add(ci.toByteArray());
        chunks++;
        chunk.reset();
        chunkMessageIndex.clear();
        chunkStart = Long.MAX_VALUE;
        chunkEnd = Long.MIN_VALUE;
    }

    /** Writes the last chunk, the summary and the footer, and closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flushChunk();
            Buf de = new Buf();
            de.u32(dataCrc.getValue());
            dataEnded = true;
            record(McapFormat.OP_DATA_END, de);

            long summaryStart = position;
            CRC32 summaryCrc = new CRC32();
            List<long[]> groups = new ArrayList<>(); // opcode, start, length
            groups.add(group(McapFormat.OP_SCHEMA, schemas.values(), summaryCrc));
            groups.add(group(McapFormat.OP_CHANNEL, channels.values(), summaryCrc));
            Buf st = new Buf();
            st.u64(messages).u16(schemas.size()).u32(channels.size()).u32(0).u32(0).u32(chunks);
            st.u64(messages == 0 ? 0 : firstTime).u64(messages == 0 ? 0 : lastTime);
            Buf counts = new Buf();
            channelCounts.forEach((ch, n) -> counts.u16(ch).u64(n));
            byte[] cb = counts.toByteArray();
            st.u32(cb.length).raw(cb);
            groups.add(group(McapFormat.OP_STATISTICS, List.of(st.toByteArray()), summaryCrc));
            groups.add(group(McapFormat.OP_CHUNK_INDEX, chunkIndexes, summaryCrc));
            long offsetsStart = position;
            for (long[] g : groups) {
                if (g[2] > 0) {
                    Buf so = new Buf();
                    so.u8((int) g[0]).u64(g[1]).u64(g[2]);
                    summaryCrc.update(recordBytes(McapFormat.OP_SUMMARY_OFFSET, so));
                    record(McapFormat.OP_SUMMARY_OFFSET, so);
                }
            }
            // footer: summary_start, summary_offset_start, then the CRC of the summary up to here
            Buf head = new Buf();
            head.u8(McapFormat.OP_FOOTER).u64(8 + 8 + 4).u64(summaryStart).u64(offsetsStart);
            byte[] hb = head.toByteArray();
            summaryCrc.update(hb);
            writeRaw(hb);
            Buf tail = new Buf();
            tail.u32(summaryCrc.getValue());
            writeRaw(tail.toByteArray());
            writeRaw(McapFormat.MAGIC);
            out.force(true);
        } finally {
            out.close();
        }
    }

    private long[] group(int opcode, Collection<byte[]> bodies, CRC32 crc) throws IOException {
        long start = position;
        for (byte[] body : bodies) {
            Buf b = new Buf();
            b.raw(body);
            crc.update(recordBytes(opcode, b));
            record(opcode, b);
        }
        return new long[] {opcode, start, position - start};
    }

    private static byte[] recordBytes(int opcode, Buf body) {
        Buf r = new Buf();
        r.u8(opcode).u64(body.size()).raw(body.toByteArray());
        return r.toByteArray();
    }

    private void record(int opcode, Buf body) throws IOException {
        Buf head = new Buf();
        head.u8(opcode).u64(body.size());
        writeRaw(head.toByteArray());
        writeRaw(body.toByteArray());
    }

    private void writeRaw(byte[] bytes) throws IOException {
        if (!dataEnded) {
            dataCrc.update(bytes); // from the magic to the last record before Data End
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        while (bb.hasRemaining()) {
            out.write(bb);
        }
        position += bytes.length;
    }

    /** A little-endian byte builder with MCAP's string, map and byte-array encodings. */
    static final class Buf extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Buf u8(int v) {
            write(v);
            return this;
        }

        Buf u16(int v) {
            scratch.clear();
            scratch.putShort((short) v);
            write(scratch.array(), 0, 2);
            return this;
        }

        Buf u32(long v) {
            scratch.clear();
            scratch.putInt((int) v);
            write(scratch.array(), 0, 4);
            return this;
        }

        Buf u64(long v) {
            scratch.clear();
            scratch.putLong(v);
            write(scratch.array(), 0, 8);
            return this;
        }

        Buf string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            write(b, 0, b.length);
            return this;
        }

        Buf bytes32(byte[] b) {
            u32(b.length);
            write(b, 0, b.length);
            return this;
        }

        Buf raw(byte[] b) {
            write(b, 0, b.length);
            return this;
        }

        Buf map(Map<String, String> m) {
            Buf inner = new Buf();
            m.forEach((k, v) -> inner.string(k).string(v));
            byte[] b = inner.toByteArray();
            return u32(b.length).raw(b);
        }
    }
}

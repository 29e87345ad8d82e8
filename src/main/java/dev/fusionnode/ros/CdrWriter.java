package dev.fusionnode.ros;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one message in plain little-endian CDR (XCDR1, encapsulation {@code 00 01}), as ROS 2's
 * {@code rmw} implementations do: primitives aligned to their size from the end of the 4-byte
 * encapsulation header, strings with their length and a terminating NUL, sequences with their
 * length. Not thread-safe; one writer per message.
 */
public final class CdrWriter {
    private static final int HEADER = 4;

    private ByteBuffer buf;

    /** A writer with room for {@code sizeHint} bytes (it grows as needed). */
    public CdrWriter(int sizeHint) {
        buf = ByteBuffer.allocate(Math.max(64, sizeHint)).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0).put((byte) 1).put((byte) 0).put((byte) 0);
    }

    private void room(int bytes) {
        if (buf.remaining() < bytes) {
            ByteBuffer bigger =
                    ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + bytes))
                            .order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    private void align(int size) {
        int skip = (size - (buf.position() - HEADER) % size) % size;
        room(skip);
        for (int i = 0; i < skip; i++) {
            buf.put((byte) 0);
        }
    }

    /** A {@code uint8}, {@code int8} or {@code bool}. */
    public CdrWriter uint8(int v) {
        room(1);
        buf.put((byte) v);
        return this;
    }

    /** An {@code int32} or {@code uint32}. */
    public CdrWriter int32(long v) {
        align(4);
        room(4);
        buf.putInt((int) v);
        return this;
    }

    /** A {@code float64}. */
    public CdrWriter float64(double v) {
        align(8);
        room(8);
        buf.putDouble(v);
        return this;
    }

    /** A fixed array of {@code float64}. */
    public CdrWriter float64s(double... v) {
        for (double d : v) {
            float64(d);
        }
        return this;
    }

    /** A {@code float64[]}: length, values. */
    public CdrWriter float64Sequence(double... v) {
        int32(v.length);
        return float64s(v);
    }

    /** A {@code string}. */
    public CdrWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int32(b.length + 1L);
        room(b.length + 1);
        buf.put(b).put((byte) 0);
        return this;
    }

    /** A {@code uint8[]}: length, bytes. */
    public CdrWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    /** A {@code uint8[]} of {@code n} bytes from {@code offset}. */
    public CdrWriter bytes(byte[] b, int offset, int n) {
        int32(n);
        room(n);
        buf.put(b, offset, n);
        return this;
    }

    /** A {@code uint8[]} taken from a buffer's remaining bytes. */
    public CdrWriter bytes(ByteBuffer b) {
        int n = b.remaining();
        int32(n);
        room(n);
        buf.put(b.duplicate());
        return this;
    }

    /** A {@code builtin_interfaces/Time}: seconds ({@code int32}) and nanoseconds. */
    public CdrWriter time(long ns) {
        return int32(Math.floorDiv(ns, 1_000_000_000L)).int32(Math.floorMod(ns, 1_000_000_000L));
    }

    /** A {@code std_msgs/Header}. */
    public CdrWriter header(long stampNs, String frameId) {
        return time(stampNs).string(frameId);
    }

    /** The message written so far. */
    public byte[] toBytes() {
        return Arrays.copyOf(buf.array(), buf.position());
    }
}

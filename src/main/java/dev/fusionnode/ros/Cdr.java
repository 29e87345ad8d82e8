package dev.fusionnode.ros;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads one CDR-encoded ROS 2 message (OMG XCDR1 as rmw writes it): a 4-byte encapsulation header
 * (plain CDR, little or big endian), then the fields, each primitive aligned to its own size
 * counted from the end of the header; strings and sequences are a {@code uint32} length first.
 * Every read checks the bounds: a short or lying message is a {@link BadInputException}, never an
 * allocation of what a length claims. Not thread-safe.
 */
public final class Cdr {
    private static final int HEADER = 4;

    private final ByteBuffer buf;
    private final String source;

    /**
     * Starts reading {@code message}.
     *
     * @throws BadInputException when the encapsulation is not plain CDR
     */
    public Cdr(byte[] message, String source) {
        this.source = source;
        if (message.length < HEADER || message[0] != 0 || (message[1] != 0 && message[1] != 1)) {
            throw bad(
                    "not a plain CDR message (encapsulation "
                            + (message.length < 2
                                    ? "missing"
                                    : String.format("%02x%02x", message[0], message[1]))
                            + ")");
        }
        this.buf =
                ByteBuffer.wrap(message)
                        .order(message[1] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        buf.position(HEADER);
    }

    private void align(int size) {
        int offset = buf.position() - HEADER;
        int skip = (size - offset % size) % size;
        need(skip);
        buf.position(buf.position() + skip);
    }

    private void need(long bytes) {
        if (bytes > buf.remaining()) {
            throw bad(
                    "the message ends at byte "
                            + buf.limit()
                            + " but a field needs "
                            + bytes
                            + " more bytes at "
                            + buf.position());
        }
    }

    /** An {@code int8}, {@code uint8}, {@code bool} or {@code char}. */
    public int uint8() {
        need(1);
        return buf.get() & 0xFF;
    }

    /** A {@code bool}. */
    public boolean bool() {
        return uint8() != 0;
    }

    /** An {@code int32}. */
    public int int32() {
        align(4);
        need(4);
        return buf.getInt();
    }

    /** A {@code uint32}. */
    public long uint32() {
        return int32() & 0xFFFF_FFFFL;
    }

    /** A {@code float64}. */
    public double float64() {
        align(8);
        need(8);
        return buf.getDouble();
    }

    /** A fixed array of {@code n} {@code float64}, such as {@code float64[9]}. */
    public double[] float64s(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = float64();
        }
        return out;
    }

    /** A {@code float64[]}: length, values. */
    public double[] float64Sequence() {
        return float64s(sequenceLength(8));
    }

    /** A {@code string}: length (with its terminating NUL), bytes. */
    public String string() {
        long n = uint32();
        need(n);
        if (n == 0) {
            return "";
        }
        byte[] b = new byte[(int) n];
        buf.get(b);
        int end = b[b.length - 1] == 0 ? b.length - 1 : b.length;
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** A {@code uint8[]}: length, bytes. */
    public byte[] bytes() {
        long n = uint32();
        need(n);
        byte[] b = new byte[(int) n];
        buf.get(b);
        return b;
    }

    /** A fixed array of {@code n} bytes, such as {@code uint8[1206]}. */
    public byte[] fixedBytes(int n) {
        need(n);
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    /** A sequence's length, checked against what is left at {@code minBytesEach} per element. */
    public int sequenceLength(int minBytesEach) {
        long n = uint32();
        need(n * Math.max(1, minBytesEach));
        return (int) n;
    }

    /** A {@code builtin_interfaces/Time} as nanoseconds. */
    public long time() {
        long sec = int32();
        long nanosec = uint32();
        return sec * 1_000_000_000L + nanosec;
    }

    /** The byte order of the message's fields. */
    public ByteOrder order() {
        return buf.order();
    }

    /** What a message of {@code source} got wrong. */
    BadInputException bad(String problem) {
        return new BadInputException(BadInputReason.MALFORMED_ROS_MESSAGE, source, problem);
    }
}

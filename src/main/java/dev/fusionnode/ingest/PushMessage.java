package dev.fusionnode.ingest;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One pushed sensor message. Layout (little-endian):
 *
 * <pre>
 * offset size
 *  0     4    magic "FNS1"
 *  4     1    kind: 1 camera image, 2 point cloud
 *  5     1    reserved, 0
 *  6     2    n, length of the sensor id
 *  8     8    capture time, nanoseconds since the Unix epoch (int64)
 * 16     n    sensor id, UTF-8 (e.g. "front", "top")
 * 16+n   ...  kind 1: the encoded image (JPEG or PNG);
 *             kind 2: float32 (x, y, z, intensity) records, sensor frame (x forward, y left, z up, m)
 * </pre>
 *
 * @param kind camera or point cloud
 * @param sensorId the sensor
 * @param timeNs capture time
 * @param payload the image bytes, or the point records
 */
public record PushMessage(Kind kind, String sensorId, long timeNs, byte[] payload) {
    /** What a message carries. */
    public enum Kind {
        /** An encoded camera image. */
        CAMERA(1),
        /** A point cloud. */
        POINT_CLOUD(2);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    /** The magic. */
    public static final byte[] MAGIC = {'F', 'N', 'S', '1'};

    private static final int HEADER = 16;

    /** The longest sensor id, in bytes (a 60,000-character id was accepted before). */
    public static final int MAX_ID_BYTES = 64;

    /** True for a sensor id a pushed message may carry: 1 to 64 letters, digits, '_', '-', '.'. */
    public static boolean validSensorId(String id) {
        return id.length() <= MAX_ID_BYTES && id.matches("[A-Za-z0-9_.-]+");
    }

    /**
     * Parses a message.
     *
     * @throws BadInputException {@link BadInputReason#MALFORMED_CLIENT_MESSAGE} naming the problem
     */
    public static PushMessage parse(byte[] b, String source) {
        if (b.length < HEADER
                || b[0] != MAGIC[0]
                || b[1] != MAGIC[1]
                || b[2] != MAGIC[2]
                || b[3] != MAGIC[3]) {
            throw bad(source, "does not start with the FNS1 header (" + b.length + " bytes)");
        }
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int code = b[4] & 0xFF;
        Kind kind =
                switch (code) {
                    case 1 -> Kind.CAMERA;
                    case 2 -> Kind.POINT_CLOUD;
                    default -> throw bad(source, "has kind " + code + "; 1 camera, 2 point cloud");
                };
        int n = h.getShort(6) & 0xFFFF;
        long time = h.getLong(8);
        if (n == 0 || HEADER + n > b.length) {
            throw bad(source, "has a sensor id of " + n + " bytes in a message of " + b.length);
        }
        if (n > MAX_ID_BYTES) {
            throw bad(
                    source, "has a sensor id of " + n + " bytes; ids are at most " + MAX_ID_BYTES);
        }
        String id = new String(b, HEADER, n, StandardCharsets.UTF_8);
        if (!validSensorId(id)) {
            throw bad(source, "has sensor id '" + id + "' (letters, digits, '_', '-', '.')");
        }
        byte[] payload = Arrays.copyOfRange(b, HEADER + n, b.length);
        if (kind == Kind.POINT_CLOUD && payload.length % 16 != 0) {
            throw bad(
                    source,
                    "has "
                            + payload.length
                            + " bytes of points, not whole 16-byte (x, y, z, i) records");
        }
        if (kind == Kind.CAMERA && payload.length == 0) {
            throw bad(source, "has no image");
        }
        return new PushMessage(kind, id, time, payload);
    }

    /** The message's bytes (for clients and tests). */
    public byte[] toBytes() {
        byte[] id = sensorId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b =
                ByteBuffer.allocate(HEADER + id.length + payload.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC)
                .put((byte) kind.code)
                .put((byte) 0)
                .putShort((short) id.length)
                .putLong(timeNs);
        b.put(id).put(payload);
        return b.array();
    }

    /** The point records as floats. */
    public float[] points() {
        float[] f = new float[payload.length / 4];
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    private static BadInputException bad(String source, String problem) {
        return new BadInputException(BadInputReason.MALFORMED_CLIENT_MESSAGE, source, problem);
    }
}

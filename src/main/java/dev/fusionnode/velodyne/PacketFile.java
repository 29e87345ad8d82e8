package dev.fusionnode.velodyne;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file of Velodyne data packets back to back: 1206-byte UDP payloads (as the test data in {@code
 * data/velodyne}) or 1248-byte captures with their headers.
 *
 * @param bytes the file
 * @param packetSize 1206 or 1248
 * @param path where it was read
 */
public record PacketFile(byte[] bytes, int packetSize, Path path) {
    /** Number of packets. */
    public int packets() {
        return bytes.length / packetSize;
    }

    /** Offset of packet {@code i}. */
    public int offset(int i) {
        return i * packetSize;
    }

    /**
     * Reads a packet file.
     *
     * @throws BadInputException when the size is not a whole number of packets
     */
    public static PacketFile read(Path path) {
        byte[] b;
        try {
            b = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new BadInputException(
                    BadInputReason.MISSING_FILE, path, "cannot be read: " + e.getMessage(), e);
        }
        return of(b, path);
    }

    /** The packets of {@code bytes}, named {@code path} in errors. */
    public static PacketFile of(byte[] b, Path path) {
        if (looksLike(b, VelodyneDecoder.PAYLOAD, 0)) {
            return new PacketFile(b, VelodyneDecoder.PAYLOAD, path);
        }
        int withHeaders = VelodyneDecoder.PAYLOAD + VelodyneDecoder.HEADERS;
        if (looksLike(b, withHeaders, VelodyneDecoder.HEADERS)) {
            return new PacketFile(b, withHeaders, path);
        }
        throw new BadInputException(
                BadInputReason.MALFORMED_LIDAR_PACKET,
                path,
                "is "
                        + b.length
                        + " bytes, not a whole number of Velodyne data packets ("
                        + VelodyneDecoder.PAYLOAD
                        + "-byte payloads or "
                        + withHeaders
                        + "-byte captures) starting with a 0xFFEE block flag");
    }

    /** True when {@code b} is whole packets of {@code size} whose first block flag is in place. */
    public static boolean looksLike(byte[] b, int size, int flagAt) {
        return b.length > 0
                && b.length % size == 0
                && (b[flagAt] & 0xFF) == 0xFF
                && (b[flagAt + 1] & 0xFF) == 0xEE;
    }
}

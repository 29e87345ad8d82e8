package dev.fusionnode.io;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads KITTI Velodyne scans: little-endian float32 {@code (x, y, z, reflectance)} records, LiDAR
 * frame.
 */
public final class KittiScanReader {
    private static final int RECORD_BYTES = PointCloud.STRIDE * Float.BYTES;

    private KittiScanReader() {}

    /**
     * Reads a {@code .bin} scan. Points are returned as stored; see {@link PointSanitizer} for
     * non-finite values.
     *
     * @throws BadInputException when the file is missing or its size is not a multiple of 16 bytes
     */
    public static PointCloud read(Path file) {
        return decode(Files2.readAll(file), file.toString());
    }

    /** Decodes the bytes of a {@code .bin} scan; {@code source} names it in errors. */
    public static PointCloud decode(byte[] bytes, String source) {
        if (bytes.length % RECORD_BYTES != 0) {
            throw new BadInputException(
                    BadInputReason.TRUNCATED_SCAN,
                    source,
                    "truncated scan: "
                            + bytes.length
                            + " bytes is not a multiple of 16 (float32 x, y, z, intensity records); the last "
                            + (bytes.length % RECORD_BYTES)
                            + " bytes are a partial point");
        }
        float[] xyzi = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(xyzi);
        return new PointCloud(xyzi);
    }
}

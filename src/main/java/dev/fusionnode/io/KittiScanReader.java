package dev.fusionnode.io;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * Reads LiDAR {@code .bin} scans: little-endian float32 records in the LiDAR frame, {@code (x, y,
 * z, reflectance)} as KITTI stores them, or {@code (x, y, z, intensity, ring)} as nuScenes does in
 * its {@code .pcd.bin} files (read by that name, or by asking for 5 floats: many files divide by
 * both 16 and 20 bytes, so the size alone cannot tell).
 */
public final class KittiScanReader {
    private KittiScanReader() {}

    /**
     * Reads a {@code .bin} scan. Points are returned as stored; see {@link PointSanitizer} for
     * non-finite values.
     *
     * @throws BadInputException when the file is missing or its size is not a multiple of 16 bytes
     */
    public static PointCloud read(Path file) {
        return read(file, floatsPerPoint(file));
    }

    /** Reads a {@code .bin} scan of {@code floatsPerPoint} (4 or 5) float32 per point. */
    public static PointCloud read(Path file, int floatsPerPoint) {
        byte[] bytes = Files2.readAll(file);
        return floatsPerPoint == PointCloud.STRIDE
                ? decode(bytes, file.toString())
                : decodeNuscenes(bytes, file.toString());
    }

    /** 5 for a nuScenes {@code *.pcd.bin} file, else 4 (KITTI). */
    public static int floatsPerPoint(Path file) {
        return file.getFileName().toString().endsWith(".pcd.bin") ? 5 : PointCloud.STRIDE;
    }

    /** Decodes nuScenes records {@code (x, y, z, intensity, ring)}; the ring is not kept. */
    static PointCloud decodeNuscenes(byte[] bytes, String source) {
        checkWhole(bytes, 5, "x, y, z, intensity, ring", source);
        int n = bytes.length / (5 * Float.BYTES);
        FloatBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] xyzi = new float[n * PointCloud.STRIDE];
        for (int i = 0; i < n; i++) {
            in.get(xyzi, i * PointCloud.STRIDE, PointCloud.STRIDE);
            in.get(); // ring
        }
        return new PointCloud(xyzi);
    }

    private static void checkWhole(byte[] bytes, int floats, String fields, String source) {
        int record = floats * Float.BYTES;
        if (bytes.length % record != 0) {
            throw new BadInputException(
                    BadInputReason.TRUNCATED_SCAN,
                    source,
                    "truncated scan: "
                            + bytes.length
                            + " bytes is not a multiple of "
                            + record
                            + " (float32 "
                            + fields
                            + " records); the last "
                            + (bytes.length % record)
                            + " bytes are a partial point");
        }
    }

    /** Decodes the bytes of a {@code .bin} scan; {@code source} names it in errors. */
    public static PointCloud decode(byte[] bytes, String source) {
        checkWhole(bytes, PointCloud.STRIDE, "x, y, z, intensity", source);
        float[] xyzi = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(xyzi);
        return new PointCloud(xyzi);
    }
}

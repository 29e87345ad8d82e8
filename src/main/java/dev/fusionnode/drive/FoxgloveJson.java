package dev.fusionnode.drive;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * Foxglove's JSON encoding of the schemas the node sends and records: the {@code time} object and
 * {@code foxglove.CompressedImage} (schema and message), shared by the WebSocket channels and the
 * MCAP recorder.
 */
public final class FoxgloveJson {
    /** JSON schema of Foxglove's {@code time} ({@code sec}, {@code nsec}). */
    public static final String TIME_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"sec\":{\"type\":\"integer\"},"
                    + "\"nsec\":{\"type\":\"integer\"}}}";

    /** JSON schema of {@code foxglove.CompressedImage}. */
    public static final String COMPRESSED_IMAGE_SCHEMA =
            "{\"title\":\"foxglove.CompressedImage\",\"type\":\"object\",\"properties\":{"
                    + "\"timestamp\":"
                    + TIME_SCHEMA
                    + ",\"frame_id\":{\"type\":\"string\"},"
                    + "\"data\":{\"type\":\"string\",\"contentEncoding\":\"base64\"},"
                    + "\"format\":{\"type\":\"string\"}}}";

    private FoxgloveJson() {}

    /** A {@code time} of epoch nanoseconds. */
    public static JsonObject time(long ns) {
        return new JsonObject()
                .put("sec", Math.floorDiv(ns, 1_000_000_000L))
                .put("nsec", Math.floorMod(ns, 1_000_000_000L));
    }

    /** Epoch nanoseconds of a {@code time}. */
    public static long timeNs(JsonObject t) {
        return t.getLong("sec") * 1_000_000_000L + t.getLong("nsec");
    }

    /**
     * A {@code foxglove.CompressedImage} message of encoded image bytes ({@code jpeg}, {@code
     * png}).
     */
    public static JsonObject compressedImage(
            long timeNs, String frameId, byte[] data, String format) {
        return new JsonObject()
                .put("timestamp", time(timeNs))
                .put("frame_id", frameId)
                .put("data", Base64.getEncoder().encodeToString(data))
                .put("format", format);
    }

    /**
     * A {@code foxglove.PointCloud} message in the sensor's own frame (identity pose) of packed
     * little-endian float32 points, one field per name in order ({@code x, y, z} or {@code x, y, z,
     * intensity}).
     */
    public static JsonObject pointCloud(
            long timeNs, String frameId, byte[] data, String... fieldNames) {
        JsonArray fields = new JsonArray();
        for (int i = 0; i < fieldNames.length; i++) {
            fields.add(
                    new JsonObject()
                            .put("name", fieldNames[i])
                            .put("offset", 4 * i)
                            .put("type", FLOAT32));
        }
        JsonObject zero = new JsonObject().put("x", 0).put("y", 0).put("z", 0);
        return new JsonObject()
                .put("timestamp", time(timeNs))
                .put("frame_id", frameId)
                .put(
                        "pose",
                        new JsonObject()
                                .put("position", zero)
                                .put("orientation", zero.copy().put("w", 1)))
                .put("point_stride", 4 * fieldNames.length)
                .put("fields", fields)
                .put("data", Base64.getEncoder().encodeToString(data));
    }

    /** Foxglove's {@code NumericType} of float32 fields. */
    private static final int FLOAT32 = 7;
}

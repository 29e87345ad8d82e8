package dev.fusionnode.publish.foxglove;

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
}

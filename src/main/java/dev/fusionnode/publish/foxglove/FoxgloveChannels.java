package dev.fusionnode.publish.foxglove;

import dev.fusionnode.drive.FoxgloveJson;
import dev.fusionnode.pipeline.EncodedFrame;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The channels the node advertises for a camera, with their Foxglove schema names, JSON schemas and
 * the JSON message of a published frame on each.
 */
final class FoxgloveChannels {
    /** A channel: id, topic, schema name, message builder. */
    enum Kind {
        IMAGE("image", "foxglove.CompressedImage"),
        MASK("mask", "foxglove.CompressedImage"),
        OVERLAY("overlay", "foxglove.CompressedImage"),
        LIDAR("lidar", "foxglove.PointCloud"),
        META("meta", "fusion_node.FrameMeta"),
        CONFIDENCE("confidence", "foxglove.CompressedImage");

        final String suffix;
        final String schemaName;

        Kind(String suffix, String schemaName) {
            this.suffix = suffix;
            this.schemaName = schemaName;
        }
    }

    private static final String TIME = FoxgloveJson.TIME_SCHEMA;
    private static final String POINT_CLOUD =
            "{\"title\":\"foxglove.PointCloud\",\"type\":\"object\",\"properties\":{"
                    + "\"timestamp\":"
                    + TIME
                    + ",\"frame_id\":{\"type\":\"string\"},"
                    + "\"pose\":{\"type\":\"object\"},\"point_stride\":{\"type\":\"integer\"},"
                    + "\"fields\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
                    + "\"name\":{\"type\":\"string\"},\"offset\":{\"type\":\"integer\"},"
                    + "\"type\":{\"type\":\"integer\"}}}},"
                    + "\"data\":{\"type\":\"string\",\"contentEncoding\":\"base64\"}}}";
    private static final String META =
            "{\"title\":\"fusion_node.FrameMeta\",\"type\":\"object\",\"properties\":{"
                    + "\"seq\":{\"type\":\"integer\"},\"camera\":{\"type\":\"string\"},"
                    + "\"captureTimeNs\":{\"type\":\"integer\"},\"modelVersion\":{\"type\":\"string\"},"
                    + "\"latencyMs\":{\"type\":\"object\"},\"classPixels\":{\"type\":\"object\"},"
                    + "\"classes\":{\"type\":\"array\"},\"droppedSoFar\":{\"type\":\"integer\"},"
                    + "\"unfamiliarity\":{\"type\":\"number\"}}}";

    private FoxgloveChannels() {}

    /** Channel id of {@code kind} for the {@code cameraIndex}-th camera (ids from 1). */
    static int id(int cameraIndex, Kind kind) {
        return 1 + cameraIndex * Kind.values().length + kind.ordinal();
    }

    /** The advertisement entries for one camera. */
    static List<JsonObject> advertise(int cameraIndex, String camera) {
        return Arrays.stream(Kind.values())
                .map(
                        k ->
                                new JsonObject()
                                        .put("id", id(cameraIndex, k))
                                        .put(
                                                "topic",
                                                k == Kind.LIDAR
                                                        ? "/" + camera + "/lidar"
                                                        : "/" + camera + "/" + k.suffix)
                                        .put("encoding", "json")
                                        .put("schemaName", k.schemaName)
                                        .put("schemaEncoding", "jsonschema")
                                        .put("schema", schema(k)))
                .toList();
    }

    private static String schema(Kind k) {
        return switch (k) {
            case IMAGE, MASK, OVERLAY, CONFIDENCE -> FoxgloveJson.COMPRESSED_IMAGE_SCHEMA;
            case LIDAR -> POINT_CLOUD;
            case META -> META;
        };
    }

    /** The JSON message of {@code f} on channel {@code kind}, UTF-8. */
    static byte[] message(EncodedFrame f, Kind kind) {
        long t = f.captureTimeNs();
        JsonObject m =
                switch (kind) {
                    case IMAGE ->
                            FoxgloveJson.compressedImage(t, f.cameraId(), f.cameraJpeg(), "jpeg");
                    case MASK -> FoxgloveJson.compressedImage(t, f.cameraId(), f.maskPng(), "png");
                    case CONFIDENCE ->
                            FoxgloveJson.compressedImage(t, f.cameraId(), f.confidencePng(), "png");
                    case OVERLAY ->
                            FoxgloveJson.compressedImage(t, f.cameraId(), f.overlayJpeg(), "jpeg");
                    case LIDAR -> pointCloud(t, f);
                    case META -> f.meta();
                };
        return m.encode().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject pointCloud(long timeNs, EncodedFrame f) {
        var scan = f.frame().fused().lidar();
        byte[] data = new byte[0];
        String frameId = "lidar";
        if (scan.isPresent()) {
            var cloud = scan.get().points();
            frameId = scan.get().frameId();
            ByteBuffer bb = ByteBuffer.allocate(cloud.size() * 12).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < cloud.size(); i++) {
                bb.putFloat(cloud.x(i)).putFloat(cloud.y(i)).putFloat(cloud.z(i));
            }
            data = bb.array();
        }
        return FoxgloveJson.pointCloud(timeNs, frameId, data, "x", "y", "z");
    }
}

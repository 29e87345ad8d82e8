package dev.fusionnode.drive;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.JsonCalibration;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The JSON messages of a recorded drive, both ways: Foxglove's {@code CompressedImage} (camera as
 * lossless PNG, so that a replay sees the same pixels), {@code PointCloud} (float32 x, y, z,
 * intensity, 16-byte stride: the scan's own records) and {@code CameraCalibration}, and the node's
 * {@code fusion_node.Calibration} (the full camera model and LiDAR extrinsic).
 */
public final class DriveMessages {
    /** Schema name of camera images and masks. */
    public static final String IMAGE_SCHEMA = "foxglove.CompressedImage";

    /** Schema name of LiDAR scans. */
    public static final String CLOUD_SCHEMA = "foxglove.PointCloud";

    /** Schema name of the viewer calibration. */
    public static final String CAMERA_CALIBRATION_SCHEMA = "foxglove.CameraCalibration";

    /** Schema name of the node's calibration. */
    public static final String CALIBRATION_SCHEMA = "fusion_node.Calibration";

    private static final String TIME = FoxgloveJson.TIME_SCHEMA;

    private DriveMessages() {}

    /** The JSON schema of {@code schemaName}. */
    public static String schema(String schemaName) {
        return switch (schemaName) {
            case IMAGE_SCHEMA -> FoxgloveJson.COMPRESSED_IMAGE_SCHEMA;
            case CLOUD_SCHEMA ->
                    "{\"title\":\"foxglove.PointCloud\",\"type\":\"object\",\"properties\":{"
                            + "\"timestamp\":"
                            + TIME
                            + ",\"frame_id\":{\"type\":\"string\"},\"pose\":{\"type\":\"object\"},"
                            + "\"point_stride\":{\"type\":\"integer\"},\"fields\":{\"type\":\"array\"},"
                            + "\"data\":{\"type\":\"string\",\"contentEncoding\":\"base64\"}}}";
            case CAMERA_CALIBRATION_SCHEMA ->
                    "{\"title\":\"foxglove.CameraCalibration\",\"type\":\"object\",\"properties\":{"
                            + "\"timestamp\":"
                            + TIME
                            + ",\"frame_id\":{\"type\":\"string\"},\"width\":{\"type\":\"integer\"},"
                            + "\"height\":{\"type\":\"integer\"},\"distortion_model\":{\"type\":\"string\"},"
                            + "\"D\":{\"type\":\"array\"},\"K\":{\"type\":\"array\"},"
                            + "\"R\":{\"type\":\"array\"},\"P\":{\"type\":\"array\"}}}";
            case CALIBRATION_SCHEMA ->
                    "{\"title\":\"fusion_node.Calibration\",\"type\":\"object\",\"properties\":{"
                            + "\"cameraId\":{\"type\":\"string\"},\"lidarId\":{\"type\":\"string\"},"
                            + "\"validFromNs\":{\"type\":\"integer\"},"
                            + "\"calibration\":{\"type\":[\"object\",\"null\"]}}}";
            default -> throw new IllegalArgumentException("no schema " + schemaName);
        };
    }

    /** A camera frame as a {@code CompressedImage} with a PNG. */
    public static byte[] camera(CameraFrame f) {
        return image(f.captureTimeNs(), f.sensorId(), ImageCodec.encodePng(f.image()), "png");
    }

    /** An encoded image as a {@code CompressedImage}. */
    public static byte[] image(long timeNs, String frameId, byte[] data, String format) {
        return FoxgloveJson.compressedImage(timeNs, frameId, data, format)
                .encode()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A scan as a {@code PointCloud} (x, y, z, intensity float32, little-endian). */
    public static byte[] scan(LidarScan s) {
        PointCloud c = s.points();
        ByteBuffer b = ByteBuffer.allocate(c.size() * 16).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(c.buffer());
        return FoxgloveJson.pointCloud(
                        s.timeNs(), s.frameId(), b.array(), "x", "y", "z", "intensity")
                .encode()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A calibration update as the node's calibration message. */
    public static byte[] calibration(CalibrationUpdate u) {
        return new JsonObject()
                .put("cameraId", u.cameraId())
                .put("lidarId", u.lidarId())
                .put("validFromNs", u.validFromNs())
                .put("calibration", u.calibration().map(JsonCalibration::toJson).orElse(null))
                .encode()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A calibration as Foxglove's {@code CameraCalibration} (pinhole K, P; D as given). */
    public static byte[] cameraCalibration(long timeNs, String frameId, Calibration c) {
        JsonObject j = JsonCalibration.toJson(c);
        JsonObject cam = j.getJsonObject("camera");
        double fx = c.camera().fx();
        double fy = c.camera().fy();
        double cx = c.camera().cx();
        double cy = c.camera().cy();
        return new JsonObject()
                .put("timestamp", FoxgloveJson.time(timeNs))
                .put("frame_id", frameId)
                .put("width", c.width())
                .put("height", c.height())
                .put(
                        "distortion_model",
                        cam.getString("model").contains("kannala") ? "kannala_brandt" : "plumb_bob")
                .put("D", cam.getJsonArray("distortion"))
                .put(
                        "K",
                        new JsonArray()
                                .add(fx)
                                .add(0)
                                .add(cx)
                                .add(0)
                                .add(fy)
                                .add(cy)
                                .add(0)
                                .add(0)
                                .add(1))
                .put(
                        "R",
                        new JsonArray()
                                .add(1)
                                .add(0)
                                .add(0)
                                .add(0)
                                .add(1)
                                .add(0)
                                .add(0)
                                .add(0)
                                .add(1))
                .put(
                        "P",
                        new JsonArray()
                                .add(fx)
                                .add(0)
                                .add(cx)
                                .add(0)
                                .add(0)
                                .add(fy)
                                .add(cy)
                                .add(0)
                                .add(0)
                                .add(0)
                                .add(1)
                                .add(0))
                .encode()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The camera frame of a {@code CompressedImage} message. */
    public static CameraFrame toCamera(byte[] message, long seq, String origin) {
        JsonObject j = new JsonObject(new String(message, StandardCharsets.UTF_8));
        byte[] data = Base64.getDecoder().decode(j.getString("data"));
        return new CameraFrame(
                j.getString("frame_id"),
                seq,
                FoxgloveJson.timeNs(j.getJsonObject("timestamp")),
                ImageCodec.decode(data, origin, ImageCodec.Channels.RGB),
                origin);
    }

    /** The scan of a {@code PointCloud} message written by {@link #scan}. */
    public static LidarScan toScan(byte[] message, String sensorId, long seq, String origin) {
        JsonObject j = new JsonObject(new String(message, StandardCharsets.UTF_8));
        int stride = j.getInteger("point_stride", 16);
        if (stride != 16) {
            throw new IllegalArgumentException(
                    "point stride "
                            + stride
                            + "; recorded drives use x, y, z, intensity float32 (16)");
        }
        byte[] data = Base64.getDecoder().decode(j.getString("data"));
        if (data.length % 16 != 0) {
            throw new IllegalArgumentException(
                    "point data of " + data.length + " bytes is not whole points");
        }
        float[] xyzi = new float[data.length / 4];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(xyzi);
        return new LidarScan(
                sensorId,
                seq,
                FoxgloveJson.timeNs(j.getJsonObject("timestamp")),
                j.getString("frame_id", LidarScan.FRAME_LIDAR),
                new PointCloud(xyzi),
                Optional.empty(),
                origin);
    }

    /** The calibration update of a node calibration message. */
    public static CalibrationUpdate toCalibration(byte[] message, String origin) {
        JsonObject j = new JsonObject(new String(message, StandardCharsets.UTF_8));
        JsonObject c = j.getJsonObject("calibration");
        return new CalibrationUpdate(
                j.getString("cameraId"),
                j.getString("lidarId"),
                j.getLong("validFromNs"),
                c == null ? Optional.empty() : Optional.of(JsonCalibration.parse(c, origin)));
    }
}

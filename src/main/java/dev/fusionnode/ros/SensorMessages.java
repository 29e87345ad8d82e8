package dev.fusionnode.ros;

import dev.fusionnode.calib.CameraModel;
import dev.fusionnode.calib.KannalaBrandtCamera;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.ImageHeader;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the {@code sensor_msgs} messages of a vehicle's ROS 2 bags and topics from CDR: {@code
 * Image} (rgb8, bgr8, rgba8, bgra8, mono8, mono16; rows padded to {@code step}) and {@code
 * CompressedImage} (png, jpeg) into RGB images, {@code PointCloud2} (any field layout: x, y, z as
 * float32 or float64, intensity in any numeric type or absent, extra fields skipped, organized or
 * not, NaN points of a cloud that is not dense left out) into the node's x y z intensity clouds.
 * Stateless.
 */
public final class SensorMessages {
    private SensorMessages() {}

    /**
     * A decoded message with its header.
     *
     * @param stampNs the header's stamp, nanoseconds
     * @param frameId the header's frame id
     * @param value the decoded content
     * @param <T> the content's type
     */
    public record Stamped<T>(long stampNs, String frameId, T value) {}

    /** The largest image or cloud a message may declare: the node's image limits, in pixels. */
    private static final long MAX_POINTS = 64L << 20;

    /**
     * Decodes a {@code sensor_msgs/msg/Image}.
     *
     * @throws BadInputException naming {@code source} and what is wrong
     */
    public static Stamped<Image> image(byte[] message, String source) {
        Cdr c = new Cdr(message, source);
        long stamp = c.time();
        String frame = c.string();
        long height = c.uint32();
        long width = c.uint32();
        String encoding = c.string();
        boolean bigEndian = c.uint8() != 0;
        long step = c.uint32();
        byte[] data = c.bytes();
        new ImageHeader(encoding + " image", width, height).checkSize(source);
        int bpp =
                switch (encoding) {
                    case "rgb8", "bgr8" -> 3;
                    case "rgba8", "bgra8" -> 4;
                    case "mono8", "8UC1" -> 1;
                    case "mono16", "16UC1" -> 2;
                    default ->
                            throw c.bad(
                                    "image encoding '"
                                            + encoding
                                            + "' is not one of rgb8, bgr8, rgba8, bgra8, mono8,"
                                            + " mono16");
                };
        int w = (int) width;
        int h = (int) height;
        if (step < (long) w * bpp || step * h > data.length) {
            throw c.bad(
                    w
                            + "x"
                            + h
                            + " "
                            + encoding
                            + " with a step of "
                            + step
                            + " needs "
                            + step * h
                            + " bytes of data; the message has "
                            + data.length);
        }
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            int row = (int) (y * step);
            for (int x = 0; x < w; x++) {
                int in = row + x * bpp;
                int out = (y * w + x) * 3;
                switch (encoding) {
                    case "rgb8", "rgba8" -> {
                        rgb[out] = data[in];
                        rgb[out + 1] = data[in + 1];
                        rgb[out + 2] = data[in + 2];
                    }
                    case "bgr8", "bgra8" -> {
                        rgb[out] = data[in + 2];
                        rgb[out + 1] = data[in + 1];
                        rgb[out + 2] = data[in];
                    }
                    case "mono16", "16UC1" -> {
                        // the high byte: 16-bit intensity shown as 8 bits
                        byte v = bigEndian ? data[in] : data[in + 1];
                        rgb[out] = v;
                        rgb[out + 1] = v;
                        rgb[out + 2] = v;
                    }
                    default -> {
                        rgb[out] = data[in];
                        rgb[out + 1] = data[in];
                        rgb[out + 2] = data[in];
                    }
                }
            }
        }
        return new Stamped<>(stamp, frame, new Image(w, h, 3, rgb));
    }

    /**
     * Decodes a {@code sensor_msgs/msg/CompressedImage} (png or jpeg; the image's own header says
     * which and is checked against the limits before decoding).
     *
     * @throws BadInputException naming {@code source} and what is wrong
     */
    public static Stamped<Image> compressedImage(byte[] message, String source) {
        Cdr c = new Cdr(message, source);
        long stamp = c.time();
        String frame = c.string();
        c.string(); // format: the bytes say it themselves
        byte[] data = c.bytes();
        return new Stamped<>(
                stamp, frame, ImageCodec.decode(data, source, ImageCodec.Channels.RGB));
    }

    /**
     * Decodes a {@code sensor_msgs/msg/CameraInfo} into a camera model at its image size: {@code
     * plumb_bob} and {@code rational_polynomial} (its first five coefficients; the rational terms
     * must be zero) as pinhole with radial-tangential distortion, {@code equidistant} as
     * Kannala-Brandt.
     *
     * @throws BadInputException naming {@code source} and what is wrong
     */
    public static Stamped<CameraIntrinsics> cameraInfo(byte[] message, String source) {
        Cdr c = new Cdr(message, source);
        long stamp = c.time();
        String frame = c.string();
        long height = c.uint32();
        long width = c.uint32();
        String model = c.string();
        double[] d = c.float64Sequence();
        double[] k = c.float64s(9);
        if (width <= 0 || height <= 0 || k[0] <= 0 || k[4] <= 0) {
            throw c.bad(
                    "camera info of "
                            + width
                            + "x"
                            + height
                            + " with fx "
                            + k[0]
                            + ", fy "
                            + k[4]
                            + " describes no camera (uncalibrated?)");
        }
        double[] dd = Arrays.copyOf(d, Math.max(d.length, 8));
        CameraModel camera =
                switch (model) {
                    case "plumb_bob", "rational_polynomial" -> {
                        if (dd[5] != 0 || dd[6] != 0 || dd[7] != 0) {
                            throw c.bad(
                                    "rational_polynomial terms k4..k6 are not zero; the node's"
                                            + " pinhole model has k1 k2 p1 p2 k3");
                        }
                        yield new PinholeCamera(
                                k[0], k[4], k[2], k[5], dd[0], dd[1], dd[2], dd[3], dd[4]);
                    }
                    case "equidistant" ->
                            new KannalaBrandtCamera(
                                    k[0], k[4], k[2], k[5], dd[0], dd[1], dd[2], dd[3]);
                    default ->
                            throw c.bad(
                                    "distortion model '"
                                            + model
                                            + "' is not plumb_bob, rational_polynomial or"
                                            + " equidistant");
                };
        return new Stamped<>(stamp, frame, new CameraIntrinsics((int) width, (int) height, camera));
    }

    /**
     * A camera's intrinsics as a camera info states them.
     *
     * @param width image width
     * @param height image height
     * @param model the camera model
     */
    public record CameraIntrinsics(int width, int height, CameraModel model) {}

    /**
     * Decodes a {@code tf2_msgs/msg/TFMessage} into its transforms.
     *
     * @throws BadInputException naming {@code source} and what is wrong
     */
    public static List<TfTree.Edge> tfMessage(byte[] message, String source) {
        Cdr c = new Cdr(message, source);
        int n = c.sequenceLength(8 + 4 + 4 + 56);
        List<TfTree.Edge> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            c.time();
            String parent = c.string();
            String child = c.string();
            double[] t = c.float64s(3);
            double[] q = c.float64s(4);
            out.add(
                    new TfTree.Edge(
                            TfTree.strip(parent),
                            TfTree.strip(child),
                            TfTree.fromQuaternion(t[0], t[1], t[2], q[0], q[1], q[2], q[3])));
        }
        return out;
    }

    /** The frame id of a message that starts with a {@code std_msgs/Header}. */
    public static String frameId(byte[] message, String source) {
        Cdr c = new Cdr(message, source);
        c.time();
        return c.string();
    }

    /** One {@code sensor_msgs/msg/PointField}. */
    private record Field(long offset, int datatype) {}

    /**
     * Decodes a {@code sensor_msgs/msg/PointCloud2} into x y z intensity points.
     *
     * @throws BadInputException naming {@code source} and what is wrong
     */
    public static Stamped<PointCloud> pointCloud(byte[] message, String source) {
        Cdr c = new Cdr(message, source);
        long stamp = c.time();
        String frame = c.string();
        long height = c.uint32();
        long width = c.uint32();
        int nFields = c.sequenceLength(13);
        Map<String, Field> fields = new HashMap<>();
        for (int i = 0; i < nFields; i++) {
            String name = c.string();
            long offset = c.uint32();
            int datatype = c.uint8();
            c.uint32(); // count
            fields.putIfAbsent(name, new Field(offset, datatype));
        }
        boolean bigEndian = c.bool();
        long pointStep = c.uint32();
        long rowStep = c.uint32();
        byte[] data = c.bytes();
        boolean dense = c.bool();
        long n = height * width;
        if (n > MAX_POINTS) {
            throw c.bad(n + " points; the node reads at most " + MAX_POINTS);
        }
        Field x = field(fields, "x", c);
        Field y = field(fields, "y", c);
        Field z = field(fields, "z", c);
        Field intensity = fields.get("intensity");
        for (Field f : new Field[] {x, y, z, intensity}) {
            if (f != null && f.offset() + size(f.datatype(), c) > pointStep) {
                throw c.bad(
                        "a field at offset "
                                + f.offset()
                                + " lies outside the point step "
                                + pointStep);
            }
        }
        if (rowStep < width * pointStep || rowStep * height > data.length) {
            throw c.bad(
                    height
                            + " rows of "
                            + width
                            + " points at a row step of "
                            + rowStep
                            + " need "
                            + rowStep * height
                            + " bytes; the message has "
                            + data.length);
        }
        ByteBuffer b =
                ByteBuffer.wrap(data)
                        .order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        float[] xyzi = new float[(int) n * PointCloud.STRIDE];
        int kept = 0;
        for (long row = 0; row < height; row++) {
            for (long col = 0; col < width; col++) {
                int at = (int) (row * rowStep + col * pointStep);
                double px = read(b, at, x, c);
                double py = read(b, at, y, c);
                double pz = read(b, at, z, c);
                if (!dense
                        && (!Double.isFinite(px) || !Double.isFinite(py) || !Double.isFinite(pz))) {
                    continue;
                }
                xyzi[kept++] = (float) px;
                xyzi[kept++] = (float) py;
                xyzi[kept++] = (float) pz;
                xyzi[kept++] = intensity == null ? 0f : (float) read(b, at, intensity, c);
            }
        }
        float[] out = kept == xyzi.length ? xyzi : Arrays.copyOf(xyzi, kept);
        return new Stamped<>(stamp, frame, new PointCloud(out));
    }

    private static Field field(Map<String, Field> fields, String name, Cdr c) {
        Field f = fields.get(name);
        if (f == null) {
            throw c.bad("the cloud has no field '" + name + "' (fields: " + fields.keySet() + ")");
        }
        return f;
    }

    /** Bytes of a PointField datatype (1 int8 .. 8 float64). */
    private static int size(int datatype, Cdr c) {
        return switch (datatype) {
            case 1, 2 -> 1;
            case 3, 4 -> 2;
            case 5, 6, 7 -> 4;
            case 8 -> 8;
            default -> throw c.bad("point field datatype " + datatype + " is not 1..8");
        };
    }

    private static double read(ByteBuffer b, int at, Field f, Cdr c) {
        int i = (int) (at + f.offset());
        return switch (f.datatype()) {
            case 1 -> b.get(i);
            case 2 -> b.get(i) & 0xFF;
            case 3 -> b.getShort(i);
            case 4 -> b.getShort(i) & 0xFFFF;
            case 5 -> b.getInt(i);
            case 6 -> b.getInt(i) & 0xFFFF_FFFFL;
            case 7 -> b.getFloat(i);
            case 8 -> b.getDouble(i);
            default -> throw c.bad("point field datatype " + f.datatype() + " is not 1..8");
        };
    }
}

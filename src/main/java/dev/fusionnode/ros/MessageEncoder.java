package dev.fusionnode.ros;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.CameraModel;
import dev.fusionnode.calib.KannalaBrandtCamera;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The node's data as ROS 2 messages in CDR ({@link RosSchemas} names their types): images as {@code
 * sensor_msgs/msg/Image} ({@code rgb8}, {@code mono8}) or {@code CompressedImage}, scans as {@code
 * PointCloud2} (x y z intensity, float32), calibrations as {@code CameraInfo} and {@code
 * TFMessage}. The inverse of {@link SensorMessages}.
 */
public final class MessageEncoder {
    private MessageEncoder() {}

    /** An image as {@code sensor_msgs/msg/Image}: {@code mono8}, {@code rgb8} or {@code rgba8}. */
    public static byte[] image(long stampNs, String frameId, Image image) {
        String encoding =
                switch (image.channels()) {
                    case 1 -> "mono8";
                    case 3 -> "rgb8";
                    case 4 -> "rgba8";
                    default ->
                            throw new IllegalArgumentException(
                                    image.channels() + " channels have no ROS image encoding");
                };
        ByteBuffer px = image.pixels();
        return new CdrWriter(px.remaining() + 128)
                .header(stampNs, frameId)
                .int32(image.height())
                .int32(image.width())
                .string(encoding)
                .uint8(0)
                .int32((long) image.width() * image.channels())
                .bytes(px)
                .toBytes();
    }

    /**
     * Encoded image bytes as {@code sensor_msgs/msg/CompressedImage} ({@code png}, {@code jpeg}).
     */
    public static byte[] compressedImage(long stampNs, String frameId, String format, byte[] data) {
        return new CdrWriter(data.length + 96)
                .header(stampNs, frameId)
                .string(format)
                .bytes(data)
                .toBytes();
    }

    /** A scan as an unorganized, dense {@code PointCloud2} of x y z intensity float32. */
    public static byte[] pointCloud(long stampNs, String frameId, PointCloud cloud) {
        int n = cloud.size();
        ByteBuffer b = ByteBuffer.allocate(n * 16).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(cloud.buffer());
        CdrWriter w = new CdrWriter(n * 16 + 256).header(stampNs, frameId).int32(1).int32(n);
        w.int32(4);
        String[] names = {"x", "y", "z", "intensity"};
        for (int i = 0; i < 4; i++) {
            w.string(names[i]).int32(4L * i).uint8(7).int32(1);
        }
        return w.uint8(0).int32(16).int32(16L * n).bytes(b.array()).uint8(1).toBytes();
    }

    /**
     * A camera's intrinsics as {@code sensor_msgs/msg/CameraInfo}: a pinhole camera as {@code
     * plumb_bob} (k1 k2 p1 p2 k3), Kannala-Brandt as {@code equidistant} (k1..k4); R identity, P
     * the K matrix with a zero fourth column.
     */
    public static byte[] cameraInfo(long stampNs, String frameId, Calibration c) {
        CameraModel m = c.camera();
        String model;
        double[] d;
        if (m instanceof PinholeCamera p) {
            model = "plumb_bob";
            d = new double[] {p.k1(), p.k2(), p.p1(), p.p2(), p.k3()};
        } else {
            KannalaBrandtCamera k = (KannalaBrandtCamera) m;
            model = "equidistant";
            d = new double[] {k.k1(), k.k2(), k.k3(), k.k4()};
        }
        return new CdrWriter(512)
                .header(stampNs, frameId)
                .int32(c.height())
                .int32(c.width())
                .string(model)
                .float64Sequence(d)
                .float64s(m.fx(), 0, m.cx(), 0, m.fy(), m.cy(), 0, 0, 1)
                .float64s(1, 0, 0, 0, 1, 0, 0, 0, 1)
                .float64s(m.fx(), 0, m.cx(), 0, 0, m.fy(), m.cy(), 0, 0, 0, 1, 0)
                .int32(0)
                .int32(0)
                .int32(0)
                .int32(0)
                .int32(0)
                .int32(0)
                .uint8(0)
                .toBytes();
    }

    /** Transforms as a {@code tf2_msgs/msg/TFMessage}, each the child's pose in its parent. */
    public static byte[] tf(long stampNs, List<TfTree.Edge> edges) {
        CdrWriter w = new CdrWriter(128 + 96 * edges.size()).int32(edges.size());
        for (TfTree.Edge e : edges) {
            RigidTransform t = e.parentFromChild();
            double[] m = t.toArray();
            double[] q = TfTree.toQuaternion(t);
            w.header(stampNs, e.parent()).string(e.child()).float64s(m[3], m[7], m[11]);
            w.float64s(q);
        }
        return w.toBytes();
    }
}

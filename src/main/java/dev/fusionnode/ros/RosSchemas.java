package dev.fusionnode.ros;

import java.util.Map;

/**
 * The {@code ros2msg} schemas of the messages the node writes: each type's {@code .msg} text
 * followed by its dependencies, each after a line of 80 {@code =} and {@code MSG: <type>}, as
 * {@code ros2 bag record} stores them in MCAP and as foxglove_bridge advertises them.
 */
public final class RosSchemas {
    private static final String SEP =
            "\n================================================================================\n";
    private static final String HEADER =
            SEP
                    + "MSG: std_msgs/Header\nbuiltin_interfaces/Time stamp\nstring frame_id"
                    + SEP
                    + "MSG: builtin_interfaces/Time\nint32 sec\nuint32 nanosec";

    /** {@code sensor_msgs/msg/Image}. */
    public static final String IMAGE = "sensor_msgs/msg/Image";

    /** {@code sensor_msgs/msg/CompressedImage}. */
    public static final String COMPRESSED_IMAGE = "sensor_msgs/msg/CompressedImage";

    /** {@code sensor_msgs/msg/PointCloud2}. */
    public static final String POINT_CLOUD = "sensor_msgs/msg/PointCloud2";

    /** {@code sensor_msgs/msg/CameraInfo}. */
    public static final String CAMERA_INFO = "sensor_msgs/msg/CameraInfo";

    /** {@code tf2_msgs/msg/TFMessage}. */
    public static final String TF = "tf2_msgs/msg/TFMessage";

    private static final Map<String, String> TEXT =
            Map.of(
                    IMAGE,
                    "std_msgs/Header header\nuint32 height\nuint32 width\nstring encoding\n"
                            + "uint8 is_bigendian\nuint32 step\nuint8[] data"
                            + HEADER,
                    COMPRESSED_IMAGE,
                    "std_msgs/Header header\nstring format\nuint8[] data" + HEADER,
                    POINT_CLOUD,
                    "std_msgs/Header header\nuint32 height\nuint32 width\n"
                            + "sensor_msgs/PointField[] fields\nbool is_bigendian\n"
                            + "uint32 point_step\nuint32 row_step\nuint8[] data\nbool is_dense"
                            + HEADER
                            + SEP
                            + "MSG: sensor_msgs/PointField\nuint8 INT8=1\nuint8 UINT8=2\n"
                            + "uint8 INT16=3\nuint8 UINT16=4\nuint8 INT32=5\nuint8 UINT32=6\n"
                            + "uint8 FLOAT32=7\nuint8 FLOAT64=8\nstring name\nuint32 offset\n"
                            + "uint8 datatype\nuint32 count",
                    CAMERA_INFO,
                    "std_msgs/Header header\nuint32 height\nuint32 width\n"
                            + "string distortion_model\nfloat64[] d\nfloat64[9] k\nfloat64[9] r\n"
                            + "float64[12] p\nuint32 binning_x\nuint32 binning_y\n"
                            + "sensor_msgs/RegionOfInterest roi"
                            + HEADER
                            + SEP
                            + "MSG: sensor_msgs/RegionOfInterest\nuint32 x_offset\n"
                            + "uint32 y_offset\nuint32 height\nuint32 width\nbool do_rectify",
                    TF,
                    "geometry_msgs/TransformStamped[] transforms"
                            + SEP
                            + "MSG: geometry_msgs/TransformStamped\nstd_msgs/Header header\n"
                            + "string child_frame_id\ngeometry_msgs/Transform transform"
                            + HEADER
                            + SEP
                            + "MSG: geometry_msgs/Transform\ngeometry_msgs/Vector3 translation\n"
                            + "geometry_msgs/Quaternion rotation"
                            + SEP
                            + "MSG: geometry_msgs/Vector3\nfloat64 x\nfloat64 y\nfloat64 z"
                            + SEP
                            + "MSG: geometry_msgs/Quaternion\nfloat64 x 0\nfloat64 y 0\n"
                            + "float64 z 0\nfloat64 w 1");

    private RosSchemas() {}

    /**
     * The schema text of {@code type}.
     *
     * @throws IllegalArgumentException for a type the node does not write
     */
    public static String text(String type) {
        String t = TEXT.get(type);
        if (t == null) {
            throw new IllegalArgumentException("the node writes no " + type);
        }
        return t;
    }
}

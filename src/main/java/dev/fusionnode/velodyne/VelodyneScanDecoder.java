package dev.fusionnode.velodyne;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.ros.SensorMessages;
import dev.fusionnode.ros.VelodyneScans;
import java.util.Arrays;
import java.util.List;

/**
 * One revolution's raw data packets (as a ROS 2 {@code velodyne_msgs/msg/VelodyneScan} carries
 * them) decoded into one point cloud, with the model taken from each packet and nominal angles.
 */
public final class VelodyneScanDecoder {
    private VelodyneScanDecoder() {}

    /**
     * Decodes {@code packets} (1206 bytes each) in order.
     *
     * @throws BadInputException naming {@code source} and the packet when one is malformed
     */
    public static PointCloud decode(List<byte[]> packets, String source) {
        Collector points = new Collector();
        VelodyneDecoder decoder = VelodyneDecoder.nominal();
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            decoder.decode(p, 0, p.length, points, source + " packet " + i);
        }
        return new PointCloud(Arrays.copyOf(points.xyzi, points.n));
    }

    /**
     * A LiDAR scan message of a ROS 2 bag or bridge: a {@code sensor_msgs/msg/PointCloud2}, or a
     * {@code velodyne_msgs/msg/VelodyneScan} whose packets are decoded here.
     *
     * @param type the message's type
     * @throws BadInputException naming {@code source} when it does not decode
     */
    public static SensorMessages.Stamped<PointCloud> rosScan(
            String type, byte[] message, String source) {
        if (!VelodyneScans.TYPE.equals(type)) {
            return SensorMessages.pointCloud(message, source);
        }
        SensorMessages.Stamped<List<byte[]>> scan = VelodyneScans.packets(message, source);
        return new SensorMessages.Stamped<>(
                scan.stampNs(), scan.frameId(), decode(scan.value(), source));
    }

    /** Gathers decoded points. */
    private static final class Collector implements VelodyneDecoder.PointSink {
        private float[] xyzi = new float[4 * 4096];
        private int n;

        @Override
        public void point(float x, float y, float z, float intensity) {
            if (n + 4 > xyzi.length) {
                xyzi = Arrays.copyOf(xyzi, xyzi.length * 2);
            }
            xyzi[n++] = x;
            xyzi[n++] = y;
            xyzi[n++] = z;
            xyzi[n++] = intensity;
        }
    }
}

package dev.fusionnode.ros;

import dev.fusionnode.pipeline.BadInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code velodyne_msgs/msg/VelodyneScan}, what the ROS 2 {@code velodyne_driver} publishes: a
 * header and one revolution's raw data packets ({@code VelodynePacket}: a stamp and {@code
 * uint8[1206]}), for the node's own packet decoder.
 */
public final class VelodyneScans {
    /** The message type. */
    public static final String TYPE = "velodyne_msgs/msg/VelodyneScan";

    /** Bytes of one packet's data. */
    public static final int PACKET_BYTES = 1206;

    private VelodyneScans() {}

    /**
     * The scan's packets, in order, stamped with the scan's header.
     *
     * @throws BadInputException naming {@code source} and what is wrong
     */
    public static SensorMessages.Stamped<List<byte[]>> packets(byte[] message, String source) {
        Cdr c = new Cdr(message, source);
        long stamp = c.time();
        String frame = c.string();
        int n = c.sequenceLength(8 + PACKET_BYTES);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            c.time();
            out.add(c.fixedBytes(PACKET_BYTES));
        }
        return new SensorMessages.Stamped<>(stamp, frame, out);
    }
}

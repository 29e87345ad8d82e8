package dev.fusionnode.pipeline;

import java.util.Locale;

/** Why an input was rejected; the value of the {@code reason} tag on the bad-input counter. */
public enum BadInputReason {
    /** A file named by a split, playlist or command does not exist or cannot be read. */
    MISSING_FILE,
    /**
     * A KITTI {@code .bin} scan whose size is not a whole number of float32 (x, y, z, i) records.
     */
    TRUNCATED_SCAN,
    /** Points with NaN or infinite coordinates (dropped from the scan). */
    NON_FINITE_POINTS,
    /** An image that does not decode. */
    CORRUPT_IMAGE,
    /**
     * An image whose header declares more pixels or a longer side than the node decodes (refused
     * before decoding; see {@code ImageHeader}).
     */
    IMAGE_TOO_LARGE,
    /** A calibration file with missing, malformed or non-finite values. */
    MALFORMED_CALIBRATION,
    /** A pickle that does not load or lacks the expected keys and shapes. */
    MALFORMED_PICKLE,
    /** A split file line that cannot be turned into a frame. */
    MALFORMED_SPLIT,
    /**
     * A model checkpoint ({@code .pth}) that is not a readable PyTorch zip checkpoint, or whose
     * pickle references code (a global outside the tensor allowlist).
     */
    MALFORMED_CHECKPOINT,
    /** Camera and LiDAR data of one frame that do not fit together (sizes, point counts). */
    INCONSISTENT_FRAME,
    /** A WebSocket or MQTT client message that is malformed, unknown or refers to nothing. */
    MALFORMED_CLIENT_MESSAGE,
    /**
     * A pushed message from a sensor id the node does not take: not in {@code ingest.sensorIds}, or
     * one id more than {@code ingest.maxSensorIds}.
     */
    UNKNOWN_SENSOR,
    /**
     * A LiDAR data or position packet of the wrong size, with a wrong block flag, an azimuth out of
     * range, an unknown return mode or a malformed NMEA sentence.
     */
    MALFORMED_LIDAR_PACKET,
    /** A LiDAR packet from a sensor model this node does not decode (unknown product id). */
    UNKNOWN_LIDAR_MODEL,
    /** A LiDAR packet older than one already received (dropped: scans only move forward). */
    OUT_OF_ORDER_PACKET,
    /** A recording (MCAP) that is not one, or is cut short or damaged (read up to the damage). */
    MALFORMED_RECORDING,
    /**
     * A ROS 2 message (of a bag or a bridge) that does not decode: CDR that ends early or is not
     * plain CDR, a layout or encoding the node does not read, values that describe nothing.
     */
    MALFORMED_ROS_MESSAGE;

    /** The metric tag value, lower case. */
    public String asTag() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.fusionnode.record;

import dev.fusionnode.mcap.McapWriter;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.LidarScan;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How the recorder turns what the node ingests and publishes into MCAP messages: the node's own
 * JSON messages ({@link JsonRecording}) or a ROS 2 bag ({@link Ros2Recording}). Called on the
 * recorder's one writer thread, which also does the encoding.
 */
interface RecordingFormat {
    /** The MCAP header's profile. */
    String profile();

    /** Records a camera frame. */
    void camera(CameraFrame f) throws IOException;

    /** Records a LiDAR scan. */
    void scan(LidarScan s) throws IOException;

    /** Records a calibration update. */
    void calibration(CalibrationUpdate u) throws IOException;

    /**
     * Records a frame's published outputs (mask, confidence; the overlay where the format has it).
     */
    void outputs(EncodedFrame e) throws IOException;

    /** The file is complete (closed): what else the format keeps beside it. */
    default void closed(Path file) {}

    /** The format of {@code options}, writing into {@code mcap}. */
    static RecordingFormat of(RecordOptions options, McapWriter mcap) {
        return options.ros2()
                ? new Ros2Recording(mcap, options.cameraFormat())
                : new JsonRecording(mcap);
    }

    /** The MCAP header profile of {@code options}' format. */
    static String profileOf(RecordOptions options) {
        return options.ros2() ? "ros2" : "";
    }
}

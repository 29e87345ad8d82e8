package dev.fusionnode.record;

import dev.fusionnode.mcap.McapWriter;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.LidarScan;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One recording file as the {@code record} block asks for it: an MCAP file in the chosen format
 * ({@link RecordingFormat}: the node's JSON messages, or a ROS 2 bag with its {@code metadata.yaml}
 * written at close). Not thread-safe (one writer thread).
 */
public final class RecordingWriter implements AutoCloseable {
    private final Path file;
    private final McapWriter mcap;
    private final RecordingFormat format;

    private RecordingWriter(Path file, McapWriter mcap, RecordingFormat format) {
        this.file = file;
        this.mcap = mcap;
        this.format = format;
    }

    /** Creates {@code file} (replacing it) for {@code options}' format, compression and chunks. */
    public static RecordingWriter create(Path file, RecordOptions options) throws IOException {
        McapWriter mcap =
                McapWriter.create(
                        file,
                        options.compression().equals("zstd")
                                ? McapWriter.Compression.ZSTD
                                : McapWriter.Compression.NONE,
                        options.chunkBytes(),
                        RecordingFormat.profileOf(options));
        return new RecordingWriter(file, mcap, RecordingFormat.of(options, mcap));
    }

    /** Records a camera frame. */
    public void camera(CameraFrame f) throws IOException {
        format.camera(f);
    }

    /** Records a LiDAR scan. */
    public void scan(LidarScan s) throws IOException {
        format.scan(s);
    }

    /** Records a calibration update. */
    public void calibration(CalibrationUpdate u) throws IOException {
        format.calibration(u);
    }

    /** Records a frame's published outputs. */
    public void outputs(EncodedFrame e) throws IOException {
        format.outputs(e);
    }

    /** Writes the chunk in progress and syncs the file to disk. */
    public void sync() throws IOException {
        mcap.sync();
    }

    /** Messages written. */
    public long messages() {
        return mcap.messages();
    }

    /** Bytes written. */
    public long bytesWritten() {
        return mcap.bytesWritten();
    }

    /** Ends the file (footer, summary) and writes what the format keeps beside it. */
    @Override
    public void close() throws IOException {
        mcap.close();
        format.closed(file);
    }
}

package dev.fusionnode.io;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.file.Path;
import java.util.Optional;

/** Loads camera frames and LiDAR scans of dataset frames (blocking I/O: call from a worker). */
public final class DatasetReader {
    private final DatasetLayout layout;

    /** Creates a reader for {@code layout}. */
    public DatasetReader(DatasetLayout layout) {
        this.layout = layout;
    }

    /** The layout read. */
    public DatasetLayout layout() {
        return layout;
    }

    /** Loads the camera image as an RGB frame. */
    public CameraFrame camera(DatasetFrame frame, String sensorId, long seq, long timeNs) {
        Image image = ImageCodec.read(frame.camera(), ImageCodec.Channels.RGB);
        return new CameraFrame(sensorId, seq, timeNs, image, frame.camera().toString());
    }

    /**
     * Loads the frame's points: a pickle with its pixel coordinates (frame {@code camera} for ZOD,
     * {@code lidar} for Iseauto and Waymo) or a KITTI {@code .bin} (LiDAR frame). Non-finite points
     * are not removed here.
     */
    public LidarScan scan(DatasetFrame frame, String sensorId, long seq, long timeNs) {
        Path file =
                frame.lidarPoints()
                        .orElseThrow(
                                () ->
                                        new BadInputException(
                                                BadInputReason.MISSING_FILE,
                                                frame.camera(),
                                                "no LiDAR file derivable for this frame"));
        return readScanFile(file, layout, sensorId, seq, timeNs);
    }

    /**
     * Reads a point file: a KITTI {@code .bin} (LiDAR frame) or a CLFT pickle whose pixel
     * coordinates refer to {@code layout}'s raw image (points in the camera frame for ZOD, the
     * LiDAR frame otherwise).
     */
    public static LidarScan readScanFile(
            Path file, DatasetLayout layout, String sensorId, long seq, long timeNs) {
        if (layout == DatasetLayout.KITTI || "bin".equals(Files2.extension(file))) {
            PointCloud cloud = KittiScanReader.read(file);
            return LidarScan.of(sensorId, seq, timeNs, cloud, file.toString());
        }
        LidarPickle pickle = LidarPickle.read(file, layout.rawWidth(), layout.rawHeight());
        String frameId =
                layout == DatasetLayout.ZOD ? LidarScan.FRAME_CAMERA : LidarScan.FRAME_LIDAR;
        return new LidarScan(
                sensorId,
                seq,
                timeNs,
                frameId,
                pickle.points(),
                Optional.of(pickle.hints()),
                file.toString());
    }

    /** Loads the frame's own calibration (KITTI), sized to the camera image. */
    public Optional<Calibration> calibration(DatasetFrame frame, int width, int height) {
        return frame.calibration().map(p -> KittiCalibration.read(p, width, height));
    }
}

package dev.fusionnode.replay;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.io.CalibrationFiles;
import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.io.DatasetReader;
import dev.fusionnode.io.PointSanitizer;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the frames of a {@link ReplayDrive} (blocking: runs on a worker). Bad files are counted and
 * logged with the file and the problem; a bad camera image skips the frame, a bad scan leaves the
 * frame camera-only.
 */
final class FrameLoader implements FrameSource {
    private static final Logger LOG = LoggerFactory.getLogger(FrameLoader.class);

    private final ReplayDrive drive;
    private final DatasetReader reader;
    private final NodeMetrics metrics;
    private final Optional<Calibration> driveCalibration;

    FrameLoader(ReplayDrive drive, NodeMetrics metrics) {
        this.drive = drive;
        this.reader = new DatasetReader(drive.layout());
        this.metrics = metrics;
        Optional<Calibration> cal = Optional.empty();
        if (drive.calibration().isPresent()) {
            try {
                cal = Optional.of(CalibrationFiles.read(drive.calibration().get(), 0, 0));
            } catch (BadInputException e) {
                bad(e, "drive calibration unusable, frames without pixel hints go camera-only");
            }
        }
        this.driveCalibration = cal;
    }

    /** The drive's own calibration, if it has a valid one. */
    Optional<Calibration> driveCalibration() {
        return driveCalibration;
    }

    @Override
    public Optional<CalibrationUpdate> startCalibration() {
        return driveCalibration.map(
                c ->
                        new CalibrationUpdate(
                                drive.cameraId(), drive.lidarId(), Long.MIN_VALUE, Optional.of(c)));
    }

    /** Loads frame {@code index} of loop pass {@code pass}, stamped with the drive's times. */
    @Override
    public LoadedFrame load(long generation, int index, int pass) {
        long timelineIndex = drive.timelineIndex(index, pass);
        long camTime = drive.cameraTimeNs(index, pass);
        DatasetFrame frame;
        try {
            frame =
                    drive.layout()
                            .resolve(
                                    drive.root(),
                                    drive.lines().get(index),
                                    drive.annotationPath().orElse(null),
                                    index,
                                    drive.splitSource());
        } catch (BadInputException e) {
            return skipped(e, "skipping frame", generation, timelineIndex);
        }
        Optional<CameraFrame> camera;
        try {
            camera = Optional.of(reader.camera(frame, drive.cameraId(), timelineIndex, camTime));
        } catch (BadInputException e) {
            return skipped(e, "skipping frame " + frame.line(), generation, timelineIndex);
        }
        Optional<LidarScan> scan = Optional.empty();
        try {
            LidarScan raw =
                    reader.scan(
                            frame, drive.lidarId(), timelineIndex, drive.lidarTimeNs(index, pass));
            PointSanitizer.CleanScan clean = PointSanitizer.sanitize(raw);
            if (clean.removed() > 0) {
                metrics.badInput(BadInputReason.NON_FINITE_POINTS);
                LOG.warn(
                        "{}: dropped {} of {} points with NaN or infinite coordinates",
                        raw.origin(),
                        clean.removed(),
                        raw.points().size());
            }
            scan = Optional.of(clean.scan());
        } catch (BadInputException e) {
            bad(e, "frame " + frame.line() + " goes on without LiDAR");
        }
        Optional<CalibrationUpdate> calibration = Optional.empty();
        if (frame.calibration().isPresent()) {
            Optional<Calibration> own = Optional.empty();
            try {
                own =
                        reader.calibration(
                                frame, camera.get().image().width(), camera.get().image().height());
            } catch (BadInputException e) {
                bad(e, "frame " + frame.line() + " has no usable calibration");
            }
            calibration =
                    Optional.of(
                            new CalibrationUpdate(drive.cameraId(), drive.lidarId(), camTime, own));
        }
        return new LoadedFrame(generation, timelineIndex, camera, scan, calibration);
    }

    /** Counts a frame whose camera data is unusable; the replay skips it. */
    private LoadedFrame skipped(
            BadInputException e, String consequence, long generation, long timelineIndex) {
        bad(e, consequence);
        metrics.frameDropped(DropReason.BAD_INPUT);
        return new LoadedFrame(
                generation, timelineIndex, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private void bad(BadInputException e, String consequence) {
        metrics.badInput(e.reason());
        LOG.warn("bad input [reason: {}]: {}; {}", e.reason().asTag(), e.getMessage(), consequence);
    }
}

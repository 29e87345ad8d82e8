package dev.fusionnode.replay;

import dev.fusionnode.io.DatasetLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A drive to replay: dataset frames in order, with the timing and sensor names they are replayed
 * under.
 *
 * @param name drive name
 * @param root dataset root the split lines are relative to
 * @param layout dataset layout
 * @param lines split lines, one per frame
 * @param splitSource the split file, for error messages
 * @param frameRateHz frame rate of the drive
 * @param startTimeNs capture time of the first frame
 * @param cameraId camera sensor id
 * @param lidarId LiDAR sensor id
 * @param lidarOffsetNs LiDAR stamp minus camera stamp within a frame (simulates real sensor skew)
 * @param calibration calibration file for the drive, if any (KITTI frames carry their own)
 * @param annotationPath annotation folder name, empty for the layout's default
 */
public record ReplayDrive(
        String name,
        Path root,
        DatasetLayout layout,
        List<String> lines,
        String splitSource,
        double frameRateHz,
        long startTimeNs,
        String cameraId,
        String lidarId,
        long lidarOffsetNs,
        Optional<Path> calibration,
        Optional<String> annotationPath) {

    /** Copies the line list. */
    public ReplayDrive {
        lines = List.copyOf(lines);
    }

    /** Nanoseconds between frames. */
    public long periodNs() {
        return Math.round(1e9 / frameRateHz);
    }
}

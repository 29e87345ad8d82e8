package dev.fusionnode.replay;

import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.pipeline.NodeMetrics;
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
 * @param startTimeNs capture time of the first frame (without timestamps)
 * @param cameraId camera sensor id
 * @param lidarId LiDAR sensor id
 * @param lidarOffsetNs LiDAR stamp minus camera stamp within a frame (simulates real sensor skew;
 *     without timestamps)
 * @param calibration calibration file for the drive, if any (KITTI frames carry their own)
 * @param annotationPath annotation folder name, empty for the layout's default
 * @param timestamps per-frame capture times, one per line; without them frames are stamped {@code
 *     startTimeNs + i * periodNs()} (i counting on across loops) and scans {@code lidarOffsetNs}
 *     later
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
        Optional<String> annotationPath,
        Optional<DriveTimestamps> timestamps)
        implements DriveSource {

    /** Copies the line list and checks that the timestamps cover it. */
    public ReplayDrive {
        lines = List.copyOf(lines);
        if (timestamps.isPresent() && timestamps.get().frames() != lines.size()) {
            throw new IllegalArgumentException(
                    "timestamps for "
                            + timestamps.get().frames()
                            + " frames, drive has "
                            + lines.size());
        }
    }

    @Override
    public int frames() {
        return lines.size();
    }

    @Override
    public String kind() {
        return layout.id();
    }

    @Override
    public FrameSource open(NodeMetrics metrics) {
        return new FrameLoader(this, metrics);
    }

    /** Nominal nanoseconds between frames, from {@code frameRateHz}. */
    public long periodNs() {
        return Math.round(1e9 / frameRateHz);
    }

    /** Position of line {@code index} in loop pass {@code pass} on the replay timeline. */
    public long timelineIndex(int index, int pass) {
        return (long) pass * lines.size() + index;
    }

    /** Camera capture time of line {@code index} in loop pass {@code pass}. */
    public long cameraTimeNs(int index, int pass) {
        return timestamps.isPresent()
                ? timestamps.get().cameraTimeNs(index, pass)
                : startTimeNs + timelineIndex(index, pass) * periodNs();
    }

    /** LiDAR capture time of line {@code index} in loop pass {@code pass}. */
    public long lidarTimeNs(int index, int pass) {
        return timestamps.isPresent()
                ? timestamps.get().lidarTimeNs(index, pass)
                : cameraTimeNs(index, pass) + lidarOffsetNs;
    }
}

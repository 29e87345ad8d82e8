package dev.fusionnode.replay;

import dev.fusionnode.drive.DriveMessages;
import dev.fusionnode.mcap.McapReader;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A drive recorded as MCAP by the node ({@code recordings/<drive>/drive.mcap}): one frame per
 * message of every camera's {@code /<camera>/image} channel (a rig's cameras play together, in the
 * order they were recorded), with the LiDAR scans and the calibration written before it since the
 * previous frame (the order the node ingested them). Loop passes shift every time by the drive's
 * length plus one frame period. A file cut short plays up to its damage.
 *
 * @param name drive name
 * @param file the MCAP file
 * @param reader its reader (data read on demand; used under this drive's lock)
 * @param frameList the frames
 * @param startCalibrations calibrations recorded before the first frame (one per camera)
 * @param passShiftNs how much later each loop pass plays
 */
public record McapDrive(
        String name,
        Path file,
        McapReader reader,
        List<Frame> frameList,
        List<McapReader.MessageRef> startCalibrations,
        long passShiftNs)
        implements DriveSource {
    /** File name of a recorded drive in its folder. */
    public static final String FILE_NAME = "drive.mcap";

    private static final Logger LOG = LoggerFactory.getLogger(McapDrive.class);

    /**
     * One frame's messages.
     *
     * @param camera the image
     * @param scans the scans recorded since the previous frame (one per LiDAR, usually)
     * @param calibration a calibration update before it, if any
     */
    public record Frame(
            McapReader.MessageRef camera,
            List<McapReader.MessageRef> scans,
            Optional<McapReader.MessageRef> calibration) {}

    /**
     * Reads the drive's index.
     *
     * @throws BadInputException when the file is not MCAP or has no camera images
     */
    public static McapDrive open(Path file, String name) {
        McapReader r = McapReader.open(file);
        r.damage()
                .ifPresent(
                        d ->
                                LOG.warn(
                                        "recording {} is damaged ({}); it plays up to the damage",
                                        file,
                                        d));
        Set<Integer> cameras = channels(r, DriveMessages.IMAGE_SCHEMA, "/image");
        if (cameras.isEmpty()) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING,
                    file,
                    "has no camera channel (/<camera>/image, " + DriveMessages.IMAGE_SCHEMA + ")");
        }
        Set<Integer> lidars = channels(r, DriveMessages.CLOUD_SCHEMA, "/points");
        Set<Integer> calibs = channels(r, DriveMessages.CALIBRATION_SCHEMA, "/calibration");
        List<Frame> frames = new ArrayList<>();
        List<McapReader.MessageRef> scans = new ArrayList<>();
        McapReader.MessageRef cal = null;
        List<McapReader.MessageRef> start = new ArrayList<>();
        for (McapReader.MessageRef m : r.messagesInFileOrder()) {
            if (lidars.contains(m.channelId())) {
                scans.add(m);
            } else if (calibs.contains(m.channelId())) {
                if (frames.isEmpty()) {
                    start.add(m);
                } else {
                    cal = m;
                }
            } else if (cameras.contains(m.channelId())) {
                frames.add(new Frame(m, List.copyOf(scans), Optional.ofNullable(cal)));
                scans.clear();
                cal = null;
            }
        }
        long shift = passShiftNs(frames.stream().map(f -> f.camera().logTimeNs()).toList(), file);
        return new McapDrive(name, file, r, List.copyOf(frames), List.copyOf(start), shift);
    }

    /**
     * How much later each loop pass of a recording plays: its camera times' span plus one period
     * (the median gap; 100 ms for a single frame).
     *
     * @throws BadInputException when there is no camera image
     */
    static long passShiftNs(List<Long> cameraLogTimes, Path file) {
        int n = cameraLogTimes.size();
        if (n == 0) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING, file, "has no camera images to play");
        }
        long[] gaps = new long[Math.max(1, n - 1)];
        for (int i = 1; i < n; i++) {
            gaps[i - 1] = cameraLogTimes.get(i) - cameraLogTimes.get(i - 1);
        }
        Arrays.sort(gaps);
        long period = n > 1 ? Math.max(1, gaps[gaps.length / 2]) : 100_000_000L;
        return cameraLogTimes.get(n - 1) - cameraLogTimes.get(0) + period;
    }

    private static Set<Integer> channels(McapReader r, String schema, String suffix) {
        return r.channels().values().stream()
                .filter(c -> c.topic().endsWith(suffix))
                .filter(
                        c ->
                                r.schemas().containsKey(c.schemaId())
                                        && r.schemas().get(c.schemaId()).name().equals(schema))
                .map(McapReader.Channel::id)
                .collect(Collectors.toSet());
    }

    @Override
    public int frames() {
        return frameList.size();
    }

    @Override
    public String kind() {
        return "mcap";
    }

    @Override
    public FrameSource open(NodeMetrics metrics) {
        return new Frames(metrics);
    }

    /** Reads and decodes the frames (one at a time: the reader caches one chunk). */
    private final class Frames implements FrameSource {
        private final NodeMetrics metrics;

        Frames(NodeMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public Optional<CalibrationUpdate> startCalibration() {
            synchronized (McapDrive.this) {
                return startCalibrations.stream().findFirst().flatMap(m -> calibrationOf(m, 0));
            }
        }

        @Override
        public List<CalibrationUpdate> startCalibrations() {
            synchronized (McapDrive.this) {
                List<CalibrationUpdate> out = new ArrayList<>();
                startCalibrations.forEach(m -> calibrationOf(m, 0).ifPresent(out::add));
                return out;
            }
        }

        @Override
        public LoadedFrame load(long generation, int index, int pass) {
            Frame f = frameList.get(index);
            long timeline = (long) pass * frameList.size() + index;
            long shift = pass * passShiftNs;
            synchronized (McapDrive.this) {
                Optional<CameraFrame> camera;
                try {
                    CameraFrame c =
                            DriveMessages.toCamera(
                                    reader.data(f.camera()), timeline, origin(f.camera()));
                    camera =
                            Optional.of(
                                    new CameraFrame(
                                            c.sensorId(),
                                            timeline,
                                            c.captureTimeNs() + shift,
                                            c.image(),
                                            c.origin()));
                } catch (RuntimeException e) {
                    bad(f.camera(), e, "frame skipped");
                    metrics.frameDropped(DropReason.BAD_INPUT);
                    return new LoadedFrame(
                            generation,
                            timeline,
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty());
                }
                List<LidarScan> scans = new ArrayList<>();
                for (McapReader.MessageRef m : f.scans()) {
                    try {
                        String topic = reader.channels().get(m.channelId()).topic();
                        String lidarId = topic.substring(1, topic.length() - "/points".length());
                        LidarScan s =
                                DriveMessages.toScan(reader.data(m), lidarId, timeline, origin(m));
                        scans.add(
                                new LidarScan(
                                        s.sensorId(),
                                        timeline,
                                        s.timeNs() + shift,
                                        s.frameId(),
                                        s.points(),
                                        Optional.empty(),
                                        s.origin()));
                    } catch (RuntimeException e) {
                        bad(m, e, "frame goes on without this scan");
                    }
                }
                Optional<CalibrationUpdate> cal =
                        f.calibration().flatMap(m -> calibrationOf(m, shift));
                return new LoadedFrame(generation, timeline, camera, List.copyOf(scans), cal);
            }
        }

        private Optional<CalibrationUpdate> calibrationOf(McapReader.MessageRef m, long shift) {
            try {
                CalibrationUpdate u = DriveMessages.toCalibration(reader.data(m), origin(m));
                long from =
                        u.validFromNs() == Long.MIN_VALUE
                                ? Long.MIN_VALUE
                                : u.validFromNs() + shift;
                return Optional.of(
                        new CalibrationUpdate(u.cameraId(), u.lidarId(), from, u.calibration()));
            } catch (RuntimeException e) {
                bad(m, e, "calibration ignored");
                return Optional.empty();
            }
        }

        private String origin(McapReader.MessageRef m) {
            return file
                    + " ("
                    + reader.channels().get(m.channelId()).topic()
                    + " #"
                    + m.sequence()
                    + ")";
        }

        private void bad(McapReader.MessageRef m, RuntimeException e, String consequence) {
            metrics.badInput(BadInputReason.MALFORMED_RECORDING);
            LOG.warn("bad recorded message {}: {}; {}", origin(m), e.getMessage(), consequence);
        }
    }
}

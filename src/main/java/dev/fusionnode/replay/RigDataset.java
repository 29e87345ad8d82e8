package dev.fusionnode.replay;

import dev.fusionnode.calib.Rig;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.KittiScanReader;
import dev.fusionnode.io.PointSanitizer;
import dev.fusionnode.io.RigFiles;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.PointCloud;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dataset seen through a rig ({@code "layout": "rig"} in its {@code drive.json}): the rig ({@code
 * rig.json}), one LiDAR sweep per instant in the LiDAR's frame ({@code lidar/<frame>.bin}, KITTI
 * records), each camera's image of the instant ({@code <camera>/camera/<frame>.png}) and the times
 * ({@code timestamps.json}). Written by {@code synth --rig} and by {@code export} of a rig's
 * recording. An instant plays as its scan, then its cameras in the rig's order; each camera's
 * calibration against the LiDAR comes from the rig.
 *
 * @param name drive name
 * @param root the dataset folder
 * @param rig its rig
 * @param lidarId the LiDAR whose sweeps the dataset holds
 * @param frameNames the instants' frame names ({@code frame_000000}, ...)
 * @param times capture times per instant
 */
public record RigDataset(
        String name,
        Path root,
        Rig rig,
        String lidarId,
        List<String> frameNames,
        DriveTimestamps times)
        implements DriveSource {
    /** The {@code layout} value of its {@code drive.json}. */
    public static final String LAYOUT = "rig";

    private static final Logger LOG = LoggerFactory.getLogger(RigDataset.class);

    @Override
    public int frames() {
        return frameNames.size() * rig.cameras().size();
    }

    @Override
    public String kind() {
        return LAYOUT + " (" + rig.cameras().size() + " cameras)";
    }

    @Override
    public FrameSource open(NodeMetrics metrics) {
        return new FrameSource() {
            @Override
            public Optional<CalibrationUpdate> startCalibration() {
                return startCalibrations().stream().findFirst();
            }

            @Override
            public List<CalibrationUpdate> startCalibrations() {
                List<CalibrationUpdate> out = new ArrayList<>();
                for (String camera : rig.cameraIds()) {
                    out.add(
                            new CalibrationUpdate(
                                    camera,
                                    lidarId,
                                    Long.MIN_VALUE,
                                    rig.calibration(camera, lidarId)));
                }
                return out;
            }

            @Override
            public LoadedFrame load(long generation, int index, int pass) {
                return loadFrame(metrics, generation, index, pass);
            }
        };
    }

    private LoadedFrame loadFrame(NodeMetrics metrics, long generation, int index, int pass) {
        int cameras = rig.cameras().size();
        int instant = index / cameras;
        String camera = rig.cameras().get(index % cameras).id();
        String frame = frameNames.get(instant);
        long timeline = (long) pass * frames() + index;
        Path image = root.resolve(camera).resolve("camera").resolve(frame + ".png");
        CameraFrame cam;
        try {
            cam =
                    new CameraFrame(
                            camera,
                            timeline,
                            times.cameraTimeNs(instant, pass),
                            ImageCodec.read(image, ImageCodec.Channels.RGB),
                            image.toString());
        } catch (BadInputException e) {
            bad(metrics, e, "skipping frame");
            metrics.frameDropped(DropReason.BAD_INPUT);
            return new LoadedFrame(
                    generation, timeline, Optional.empty(), List.of(), Optional.empty());
        }
        List<LidarScan> scans = List.of();
        if (index % cameras == 0) {
            Path bin = root.resolve("lidar").resolve(frame + ".bin");
            try {
                LidarScan raw =
                        LidarScan.of(
                                lidarId,
                                timeline,
                                times.lidarTimeNs(instant, pass),
                                KittiScanReader.read(bin),
                                bin.toString());
                PointSanitizer.CleanScan clean = PointSanitizer.sanitize(raw);
                if (clean.removed() > 0) {
                    metrics.badInput(BadInputReason.NON_FINITE_POINTS);
                }
                scans = List.of(clean.scan());
            } catch (BadInputException e) {
                bad(metrics, e, "instant " + frame + " goes on without LiDAR");
            }
        }
        return new LoadedFrame(generation, timeline, Optional.of(cam), scans, Optional.empty());
    }

    /**
     * Writes a rig dataset's root files for {@code instants} (whose scans the caller wrote with
     * {@link #writeScan}; each camera's images go in {@code <camera>/camera/<frame>.png}): {@code
     * rig.json}, {@code all.txt}, {@code timestamps.json} and {@code drive.json} ({@code
     * frameRateHz} left out when NaN: the times say it).
     *
     * @return the bytes written
     */
    public static long writeRoot(
            Path root,
            String name,
            Rig rig,
            String lidarId,
            double frameRateHz,
            List<DriveTimestamps.Entry> instants)
            throws IOException {
        List<String> split = new ArrayList<>();
        instants.forEach(e -> split.add("lidar/" + e.name() + ".bin"));
        long bytes = 0;
        bytes += write(root.resolve("rig.json"), RigFiles.toJson(rig).encodePrettily());
        bytes += write(root.resolve("all.txt"), String.join("\n", split) + "\n");
        bytes +=
                write(
                        root.resolve(DriveTimestamps.FILE_NAME),
                        DriveTimestamps.format(
                                rig.cameraIds().get(0), lidarId, frameRateHz, instants));
        JsonObject manifest =
                new JsonObject()
                        .put("name", name)
                        .put("layout", LAYOUT)
                        .put("rig", "rig.json")
                        .put("lidar", lidarId)
                        .put("split", "all.txt");
        if (!Double.isNaN(frameRateHz)) {
            manifest.put("frameRateHz", frameRateHz);
        }
        bytes += write(root.resolve("drive.json"), manifest.encodePrettily());
        return bytes;
    }

    /** Writes one sweep as {@code lidar/<frame>.bin} (KITTI records); returns the bytes. */
    public static long writeScan(Path root, String frame, PointCloud points) throws IOException {
        Path dir = root.resolve("lidar");
        Files.createDirectories(dir);
        ByteBuffer b =
                ByteBuffer.allocate(points.size() * PointCloud.STRIDE * Float.BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(points.buffer());
        Files.write(dir.resolve(frame + ".bin"), b.array());
        return b.capacity();
    }

    private static long write(Path file, String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        Files.write(file, data);
        return data.length;
    }

    private static void bad(NodeMetrics metrics, BadInputException e, String consequence) {
        metrics.badInput(e.reason());
        LOG.warn("bad input [reason: {}]: {}; {}", e.reason().asTag(), e.getMessage(), consequence);
    }
}

package dev.fusionnode.export;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.Rig;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.drive.DriveMessages;
import dev.fusionnode.geometry.EncodedLidar;
import dev.fusionnode.geometry.LidarProjector;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.JsonCalibration;
import dev.fusionnode.mcap.McapReader;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.replay.DriveTimestamps;
import dev.fusionnode.replay.McapDrive;
import dev.fusionnode.replay.RigDataset;
import dev.fusionnode.replay.Ros2BagDrive;
import dev.fusionnode.synth.DatasetPickles;
import dev.fusionnode.synth.SynthProfile;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a recorded drive into the ZOD dataset layout, so that it can be annotated and used for
 * fine-tuning: {@code camera/} PNGs, {@code lidar/} pickles (camera-frame points inside the image
 * with their pixels), {@code lidar_png/} (the CLFT LiDAR image), an empty {@code
 * annotation_camera_only/}, {@code all.txt}, {@code calibration.json}, {@code timestamps.json} and
 * a {@code drive.json} (the folder replays as a dataset drive).
 */
public final class DriveExport {
    private DriveExport() {}

    /**
     * What was written.
     *
     * @param frames frames exported
     * @param withLidar frames with a LiDAR pickle
     * @param damage the recording's damage, if any (frames up to it were exported)
     */
    public record Result(int frames, int withLidar, Optional<String> damage) {}

    /**
     * Exports {@code drive} to {@code out} (created; must not hold files).
     *
     * @throws BadInputException when the recording has no calibration (the pickles need it)
     */
    public static Result export(McapDrive drive, Path out) throws IOException {
        McapReader r = drive.reader();
        List<CalibrationUpdate> starts = new ArrayList<>();
        for (McapReader.MessageRef m : drive.startCalibrations()) {
            CalibrationUpdate u = DriveMessages.toCalibration(r.data(m), drive.file().toString());
            if (u.calibration().isPresent()) {
                starts.add(u);
            }
        }
        if (starts.isEmpty()) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING,
                    drive.file(),
                    "has no calibration before its first frame; the ZOD pickles need one");
        }
        List<String> cameras = new ArrayList<>();
        for (McapDrive.Frame f : drive.frameList()) {
            String c = cameraOf(r, f);
            if (!cameras.contains(c)) {
                cameras.add(c);
            }
        }
        if (cameras.size() == 1) {
            return exportCamera(drive, out, cameras.get(0), starts.get(0), false);
        }
        // a rig: one dataset folder per camera, each with its own calibration
        int frames = 0;
        int withLidar = 0;
        Map<String, Calibration> calibrations = new LinkedHashMap<>();
        for (String c : cameras) {
            CalibrationUpdate cal =
                    starts.stream()
                            .filter(u -> u.cameraId().equals(c))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new BadInputException(
                                                    BadInputReason.MALFORMED_RECORDING,
                                                    drive.file(),
                                                    "has no calibration of camera '"
                                                            + c
                                                            + "' before its first frame"));
            calibrations.put(c, cal.calibration().get());
            Result one = exportCamera(drive, out.resolve(c), c, cal, true);
            frames += one.frames();
            withLidar += one.withLidar();
        }
        exportRigRoot(drive, out, cameras.get(0), starts.get(0).lidarId(), calibrations);
        return new Result(frames, withLidar, r.damage());
    }

    /**
     * The root of a rig's export, so that the folder replays as a rig dataset: the rig (every
     * camera against the LiDAR, as recorded), the LiDAR sweeps in the LiDAR's frame, one per
     * instant of the first camera, and the times.
     */
    private static void exportRigRoot(
            McapDrive drive,
            Path out,
            String firstCamera,
            String lidarId,
            Map<String, Calibration> calibrations)
            throws IOException {
        McapReader r = drive.reader();
        List<DriveTimestamps.Entry> instants = new ArrayList<>();
        McapReader.MessageRef lastScan = null;
        int i = 0;
        for (McapDrive.Frame f : drive.frameList()) {
            if (!f.scans().isEmpty()) {
                lastScan = f.scans().get(0);
            }
            if (!cameraOf(r, f).equals(firstCamera) || lastScan == null) {
                continue;
            }
            String name = String.format(Locale.ROOT, "frame_%06d", i);
            LidarScan scan =
                    DriveMessages.toScan(r.data(lastScan), lidarId, i, drive.file().toString());
            i++;
            RigDataset.writeScan(out, name, scan.points());
            // the recorder logs a camera message at its capture time: no need to decode the image
            instants.add(new DriveTimestamps.Entry(name, f.camera().logTimeNs(), scan.timeNs()));
        }
        RigDataset.writeRoot(
                out, drive.name(), Rig.of(lidarId, calibrations), lidarId, Double.NaN, instants);
    }

    private static String cameraOf(McapReader r, McapDrive.Frame f) {
        String topic = r.channels().get(f.camera().channelId()).topic();
        return topic.substring(1, topic.length() - "/image".length());
    }

    /**
     * Exports the frames of one camera; with {@code carryScans} a frame without a scan of its own
     * takes the latest one before it (a rig's cameras share the scan recorded before the first of
     * them).
     */
    private static Result exportCamera(
            McapDrive drive, Path out, String camera, CalibrationUpdate start, boolean carryScans)
            throws IOException {
        McapReader r = drive.reader();
        CameraWriter w = new CameraWriter(out, start.calibration().get());
        String cameraId = "front";
        String lidarId = "top";
        McapReader.MessageRef lastScan = null;
        for (McapDrive.Frame f : drive.frameList()) {
            if (!f.scans().isEmpty()) {
                lastScan = f.scans().get(0);
            }
            if (!cameraOf(r, f).equals(camera)) {
                continue;
            }
            int i = w.frames();
            CameraFrame cam =
                    DriveMessages.toCamera(r.data(f.camera()), i, drive.file().toString());
            cameraId = cam.sensorId();
            McapReader.MessageRef m =
                    !f.scans().isEmpty() ? f.scans().get(0) : carryScans ? lastScan : null;
            Optional<LidarScan> scan = Optional.empty();
            if (m != null) {
                String topic = r.channels().get(m.channelId()).topic();
                lidarId = topic.substring(1, topic.length() - "/points".length());
                scan =
                        Optional.of(
                                DriveMessages.toScan(
                                        r.data(m), lidarId, i, drive.file().toString()));
            }
            w.add(cam, scan);
        }
        return w.finish(drive.name(), cameraId, lidarId, r.damage());
    }

    /**
     * Exports a ROS 2 bag's camera (the first one it calibrates from its own {@code CameraInfo} and
     * {@code /tf_static}) into the ZOD layout.
     *
     * @throws BadInputException when the bag does not calibrate itself (the pickles need it)
     */
    public static Result export(Ros2BagDrive bag, Path out) throws IOException {
        CalibrationUpdate start =
                bag.calibrations().stream()
                        .filter(u -> u.calibration().isPresent())
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new BadInputException(
                                                BadInputReason.MALFORMED_RECORDING,
                                                bag.file(),
                                                "has no CameraInfo and /tf_static between the"
                                                        + " LiDAR and the camera; the ZOD pickles"
                                                        + " need a calibration"));
        CameraWriter w = new CameraWriter(out, start.calibration().get());
        for (int index = 0; index < bag.frames(); index++) {
            Ros2BagDrive.Decoded d = bag.decode(index, 0);
            if (d.camera().sensorId().equals(start.cameraId())) {
                w.add(
                        d.camera(),
                        d.scans().stream()
                                .filter(s -> s.sensorId().equals(start.lidarId()))
                                .findFirst());
            }
        }
        return w.finish(bag.name(), start.cameraId(), start.lidarId(), bag.bag().damage());
    }

    /**
     * One camera's ZOD dataset as it is written: per frame the camera PNG and, with a scan, its ZOD
     * pickle (camera-frame points with their raw-resolution pixels, as ZOD's) and CLFT LiDAR image;
     * at the end the split, calibration, times and manifest.
     */
    private static final class CameraWriter {
        private final Path out;
        private final Calibration cal;
        private final LidarProjector projector = new LidarProjector(0);
        private final List<String> lines = new ArrayList<>();
        private final List<DriveTimestamps.Entry> times = new ArrayList<>();
        private int withLidar;

        CameraWriter(Path out, Calibration cal) throws IOException {
            this.out = out;
            this.cal = cal;
            for (String sub : List.of("camera", "lidar", "lidar_png", "annotation_camera_only")) {
                Files.createDirectories(out.resolve(sub));
            }
        }

        /** Frames written so far. */
        int frames() {
            return lines.size();
        }

        void add(CameraFrame cam, Optional<LidarScan> scan) throws IOException {
            String name = String.format(Locale.ROOT, "frame_%06d", lines.size());
            Files.write(out.resolve("camera/" + name + ".png"), ImageCodec.encodePng(cam.image()));
            if (scan.isPresent()) {
                writeLidar(name, cam, scan.get());
                withLidar++;
            }
            lines.add("camera/" + name + ".png");
            times.add(
                    new DriveTimestamps.Entry(
                            name,
                            cam.captureTimeNs(),
                            scan.map(LidarScan::timeNs).orElse(cam.captureTimeNs())));
        }

        private void writeLidar(String name, CameraFrame cam, LidarScan s) throws IOException {
            float[] xyz = new float[s.points().size() * 3];
            for (int p = 0; p < s.points().size(); p++) {
                xyz[3 * p] = s.points().x(p);
                xyz[3 * p + 1] = s.points().y(p);
                xyz[3 * p + 2] = s.points().z(p);
            }
            Calibration toCamera =
                    LidarScan.FRAME_CAMERA.equals(s.frameId())
                            ? new Calibration(
                                    cal.width(),
                                    cal.height(),
                                    cal.camera(),
                                    RigidTransform.identity())
                            : cal;
            DatasetPickles.Pickle pickle = DatasetPickles.zod(xyz, toCamera);
            Files.write(out.resolve("lidar/" + name + ".pkl"), pickle.bytes());
            EncodedLidar png =
                    SynthProfile.ZOD
                            .encoding()
                            .rasterize(
                                    projector,
                                    pickle.scan(name),
                                    null,
                                    cam.image().width(),
                                    cam.image().height());
            Files.write(
                    out.resolve("lidar_png/" + name + ".png"), ImageCodec.encodePng(png.image()));
        }

        /** Writes the split, calibration, times and manifest; returns what was written. */
        Result finish(String drive, String cameraId, String lidarId, Optional<String> damage)
                throws IOException {
            Files.write(out.resolve("all.txt"), lines);
            Files.writeString(
                    out.resolve("calibration.json"), JsonCalibration.toJson(cal).encodePrettily());
            Files.writeString(
                    out.resolve(DriveTimestamps.FILE_NAME),
                    DriveTimestamps.format(cameraId, lidarId, Double.NaN, times),
                    StandardCharsets.UTF_8);
            Files.writeString(
                    out.resolve("drive.json"),
                    new JsonObject()
                            .put("name", drive)
                            .put("layout", "zod")
                            .put("split", "all.txt")
                            .put("cameraId", cameraId)
                            .put("lidarId", lidarId)
                            .put("calibration", "calibration.json")
                            .encodePrettily());
            return new Result(lines.size(), withLidar, damage);
        }
    }
}

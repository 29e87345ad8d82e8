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
            Result one = exportCamera(drive, out.resolve(c), c, cal, true);
            frames += one.frames();
            withLidar += one.withLidar();
        }
        exportRigRoot(drive, out, cameras, starts);
        return new Result(frames, withLidar, r.damage());
    }

    /**
     * The root of a rig's export, so that the folder replays as a rig dataset: the rig (every
     * camera against the LiDAR, as recorded), the LiDAR sweeps in the LiDAR's frame, one per
     * instant of the first camera, and the times.
     */
    private static void exportRigRoot(
            McapDrive drive, Path out, List<String> cameras, List<CalibrationUpdate> starts)
            throws IOException {
        McapReader r = drive.reader();
        Map<String, Calibration> calibrations = new LinkedHashMap<>();
        for (String c : cameras) {
            starts.stream()
                    .filter(u -> u.cameraId().equals(c))
                    .findFirst()
                    .ifPresent(u -> calibrations.put(c, u.calibration().get()));
        }
        String lidarId = starts.get(0).lidarId();
        List<DriveTimestamps.Entry> instants = new ArrayList<>();
        McapReader.MessageRef lastScan = null;
        int i = 0;
        for (McapDrive.Frame f : drive.frameList()) {
            if (!f.scans().isEmpty()) {
                lastScan = f.scans().get(0);
            }
            if (!cameraOf(r, f).equals(cameras.get(0)) || lastScan == null) {
                continue;
            }
            String name = String.format(Locale.ROOT, "frame_%06d", i++);
            CameraFrame cam =
                    DriveMessages.toCamera(r.data(f.camera()), i, drive.file().toString());
            LidarScan scan =
                    DriveMessages.toScan(r.data(lastScan), lidarId, i, drive.file().toString());
            RigDataset.writeScan(out, name, scan.points());
            instants.add(new DriveTimestamps.Entry(name, cam.captureTimeNs(), scan.timeNs()));
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
        Calibration cal = start.calibration().get();
        for (String sub : List.of("camera", "lidar", "lidar_png", "annotation_camera_only")) {
            Files.createDirectories(out.resolve(sub));
        }
        LidarProjector projector = new LidarProjector(0);
        List<String> lines = new ArrayList<>();
        List<DriveTimestamps.Entry> times = new ArrayList<>();
        int withLidar = 0;
        String cameraId = "front";
        String lidarId = "top";
        int i = -1;
        McapReader.MessageRef lastScan = null;
        for (McapDrive.Frame f : drive.frameList()) {
            if (!f.scans().isEmpty()) {
                lastScan = f.scans().get(0);
            }
            if (!cameraOf(r, f).equals(camera)) {
                continue;
            }
            i++;
            String name = String.format(Locale.ROOT, "frame_%06d", i);
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
            long lidarTime = scan.map(LidarScan::timeNs).orElse(cam.captureTimeNs());
            if (writeFrame(out, name, cam, scan, cal, projector)) {
                withLidar++;
            }
            lines.add("camera/" + name + ".png");
            times.add(new DriveTimestamps.Entry(name, cam.captureTimeNs(), lidarTime));
        }
        writeManifest(out, drive.name(), cal, cameraId, lidarId, lines, times);
        return new Result(i + 1, withLidar, r.damage());
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
        Calibration cal = start.calibration().get();
        for (String sub : List.of("camera", "lidar", "lidar_png", "annotation_camera_only")) {
            Files.createDirectories(out.resolve(sub));
        }
        LidarProjector projector = new LidarProjector(0);
        List<String> lines = new ArrayList<>();
        List<DriveTimestamps.Entry> times = new ArrayList<>();
        int withLidar = 0;
        int i = 0;
        for (int index = 0; index < bag.frames(); index++) {
            Ros2BagDrive.Decoded d = bag.decode(index, 0);
            if (!d.camera().sensorId().equals(start.cameraId())) {
                continue;
            }
            String name = String.format(Locale.ROOT, "frame_%06d", i++);
            Optional<LidarScan> scan =
                    d.scans().stream()
                            .filter(s -> s.sensorId().equals(start.lidarId()))
                            .findFirst();
            if (writeFrame(out, name, d.camera(), scan, cal, projector)) {
                withLidar++;
            }
            lines.add("camera/" + name + ".png");
            times.add(
                    new DriveTimestamps.Entry(
                            name,
                            d.camera().captureTimeNs(),
                            scan.map(LidarScan::timeNs).orElse(d.camera().captureTimeNs())));
        }
        writeManifest(out, bag.name(), cal, start.cameraId(), start.lidarId(), lines, times);
        return new Result(i, withLidar, bag.reader().damage());
    }

    /**
     * Writes one frame: the camera PNG and, with a scan, its ZOD pickle (camera-frame points with
     * their raw-resolution pixels, as ZOD's) and CLFT LiDAR image.
     *
     * @return whether LiDAR files were written
     */
    private static boolean writeFrame(
            Path out,
            String name,
            CameraFrame cam,
            Optional<LidarScan> scan,
            Calibration cal,
            LidarProjector projector)
            throws IOException {
        Files.write(out.resolve("camera/" + name + ".png"), ImageCodec.encodePng(cam.image()));
        if (scan.isEmpty()) {
            return false;
        }
        LidarScan s = scan.get();
        float[] xyz = new float[s.points().size() * 3];
        for (int p = 0; p < s.points().size(); p++) {
            xyz[3 * p] = s.points().x(p);
            xyz[3 * p + 1] = s.points().y(p);
            xyz[3 * p + 2] = s.points().z(p);
        }
        Calibration toCamera =
                LidarScan.FRAME_CAMERA.equals(s.frameId())
                        ? new Calibration(
                                cal.width(), cal.height(), cal.camera(), RigidTransform.identity())
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
        Files.write(out.resolve("lidar_png/" + name + ".png"), ImageCodec.encodePng(png.image()));
        return true;
    }

    /** The split, calibration, times and manifest of an exported camera. */
    private static void writeManifest(
            Path out,
            String drive,
            Calibration cal,
            String cameraId,
            String lidarId,
            List<String> lines,
            List<DriveTimestamps.Entry> times)
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
    }
}

package dev.fusionnode.cli;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.Rig;
import dev.fusionnode.geometry.EncodedLidar;
import dev.fusionnode.geometry.LidarEncoding;
import dev.fusionnode.geometry.LidarProjector;
import dev.fusionnode.geometry.ProjectedPoints;
import dev.fusionnode.geometry.XyzRaster;
import dev.fusionnode.io.CalibrationFiles;
import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.io.DatasetReader;
import dev.fusionnode.io.Files2;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.KittiScanReader;
import dev.fusionnode.io.NpyWriter;
import dev.fusionnode.io.PointSanitizer;
import dev.fusionnode.io.RigFiles;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node project}: projects one scan into the image plane and writes the CLFT LiDAR
 * image.
 */
@Command(
        name = "project",
        mixinStandardHelpOptions = true,
        description = {
            "Project a LiDAR scan into the camera image and write the CLFT LiDAR image.",
            "--lidar takes a KITTI .bin, which needs --calib, or a ZOD, Iseauto or Waymo .pkl,"
                    + " whose camera coordinates already give image pixels, so --calib is"
                    + " optional."
        })
final class ProjectCommand implements Callable<Integer> {
    @Option(names = "--lidar", required = true, description = "Scan: KITTI .bin or dataset .pkl.")
    Path lidar;

    @Option(names = "--calib", description = "Calibration: KITTI .txt or the node's .json.")
    Path calib;

    @Option(
            names = "--rig",
            description =
                    "A rig file (rig.json): the calibration of --camera against the scan's LiDAR.")
    Path rig;

    @Option(names = "--camera", description = "The rig's camera to project into (with --rig).")
    String camera;

    @Option(
            names = "--lidar-id",
            description = "The rig's LiDAR the scan comes from (default: the rig's first).")
    String lidarId;

    @Option(
            names = "--point-floats",
            description = {
                "Values (float32) per point of a .bin scan: 4 (KITTI) or 5 (nuScenes: x y z",
                "intensity ring); default: 5 for a *.pcd.bin file, else 4."
            })
    Integer pointFloats;

    @Option(names = "--image", description = "Camera image; gives the output size.")
    Path image;

    @Option(names = "--size", description = "Output size WxH when there is no --image.")
    String size;

    @Option(
            names = "--encoding",
            defaultValue = "zod-basic",
            description =
                    "The LiDAR encoding: zod-basic, iseauto, waymo or xyz (default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(
            names = "--layout",
            description =
                    "Dataset of a .pkl: zod, iseauto or waymo (default: guessed from the path, else zod).")
    String layout;

    @Option(
            names = "--min-depth",
            defaultValue = "0.5",
            description = "Minimum camera depth in metres (default: ${DEFAULT-VALUE}).")
    double minDepth;

    @Option(
            names = "--out",
            required = true,
            description = "Output .png (uint8 encodings) or .npy.")
    Path out;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        try {
            return project();
        } catch (BadInputException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private PointCloud readBin() {
        if (pointFloats != 4 && pointFloats != 5) {
            throw new IllegalArgumentException(
                    "--point-floats must be 4 or 5, found " + pointFloats);
        }
        return KittiScanReader.read(lidar, pointFloats);
    }

    private Calibration rigCalibration() {
        Rig r = RigFiles.read(rig);
        if (camera == null) {
            throw new IllegalArgumentException("--rig needs --camera, one of " + r.cameraIds());
        }
        String from =
                lidarId != null
                        ? lidarId
                        : r.lidars().stream()
                                .findFirst()
                                .map(Rig.Lidar::id)
                                .orElseThrow(
                                        () ->
                                                new IllegalArgumentException(
                                                        rig + " lists no LiDAR"));
        return r.calibration(camera, from)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        rig
                                                + " has no camera '"
                                                + camera
                                                + "' or LiDAR '"
                                                + from
                                                + "' (cameras: "
                                                + r.cameraIds()
                                                + ")"));
    }

    private int project() throws Exception {
        boolean pickle = "pkl".equals(Files2.extension(lidar));
        DatasetLayout dataset =
                layout != null
                        ? DatasetLayout.fromId(layout)
                        : pickle ? guessLayout(lidar) : DatasetLayout.KITTI;
        LidarScan scan =
                pointFloats != null && !pickle
                        ? LidarScan.of("lidar", 0, 0, readBin(), lidar.toString())
                        : DatasetReader.readScanFile(lidar, dataset, "lidar", 0, 0);
        PointSanitizer.CleanScan clean = PointSanitizer.sanitize(scan);
        if (clean.removed() > 0) {
            System.err.printf(
                    "warning: %s: dropped %d points with NaN or infinite coordinates%n",
                    lidar, clean.removed());
            scan = clean.scan();
        }
        int[] wh = outputSize(dataset);
        Calibration calibration = null;
        if (rig != null) {
            calibration = rigCalibration();
        } else if (calib != null) {
            calibration = CalibrationFiles.read(calib, wh[0], wh[1]);
        } else if (!pickle) {
            throw new IllegalArgumentException("--calib or --rig is required for a .bin scan");
        }
        if (wh[0] <= 0) {
            if (calibration == null) {
                throw new IllegalArgumentException("give --image or --size for the output size");
            }
            wh = new int[] {calibration.width(), calibration.height()};
        }
        LidarScan used = calibration != null && pickle ? withoutHints(scan) : scan;
        ProjectedPoints points = new LidarProjector(minDepth).project(used, calibration);
        Files.createDirectories(out.toAbsolutePath().getParent());
        boolean npy = "npy".equals(Files2.extension(out));
        int landed;
        if ("xyz".equals(encoding)) {
            if (!npy) {
                throw new IllegalArgumentException(
                        "the xyz encoding is float32: write it to a .npy file");
            }
            XyzRaster raster = XyzRaster.of(points, wh[0], wh[1]);
            NpyWriter.writeFloat32(out, raster.xyz(), wh[1], wh[0], 3);
            landed = raster.pointsLanded();
        } else {
            EncodedLidar encoded =
                    LidarEncoding.fromId(encoding).encoder().encode(points, wh[0], wh[1]);
            Image img = encoded.image();
            if (npy) {
                NpyWriter.writeUint8(out, img.copyPixels(), img.height(), img.width(), 3);
            } else {
                Files.write(out, ImageCodec.encodePng(img));
            }
            landed = encoded.pointsLanded();
        }
        System.out.printf(
                "%d of %d points landed in the %dx%d image (%s) -> %s%n",
                landed, scan.points().size(), wh[0], wh[1], encoding, out);
        return 0;
    }

    private int[] outputSize(DatasetLayout dataset) {
        if (image != null) {
            Image img = ImageCodec.read(image, ImageCodec.Channels.AS_STORED);
            return new int[] {img.width(), img.height()};
        }
        if (size != null) {
            String[] p = size.toLowerCase(Locale.ROOT).split("x");
            if (p.length != 2) {
                throw new IllegalArgumentException(
                        "--size must look like 1363x768, got '" + size + "'");
            }
            return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
        }
        return switch (dataset) {
            case ZOD, ISEAUTO -> new int[] {1363, 768};
            case WAYMO -> new int[] {480, 320};
            case KITTI -> new int[] {0, 0};
        };
    }

    private static DatasetLayout guessLayout(Path file) {
        String p = file.toString().replace('\\', '/');
        return p.contains("/pkl/")
                ? DatasetLayout.ISEAUTO
                : p.contains("segment-") ? DatasetLayout.WAYMO : DatasetLayout.ZOD;
    }

    private static LidarScan withoutHints(LidarScan s) {
        return new LidarScan(
                s.sensorId(),
                s.seq(),
                s.timeNs(),
                s.frameId(),
                s.points(),
                Optional.empty(),
                s.origin());
    }
}

package dev.fusionnode.io;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.calib.Rig;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.pipeline.BadInputException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads a rig file ({@code rig.json}): the cameras and LiDARs of a vehicle, each placed in the
 * vehicle frame. A camera is given in one of three ways:
 *
 * <pre>{@code
 * {"lidars": [{"id": "top", "model": "VLP-32C", "lidarToVehicle": [16 numbers]}],
 *  "cameras": [
 *   {"id": "front", "image": {..}, "camera": {..as in calib.json..}, "cameraToVehicle": [16]},
 *   {"id": "left", "calibration": "calib/left.json" | "calib/000000.txt", "lidar": "top",
 *    "image": {..} (KITTI files only)},
 *   {"id": "rear", "image": {..}, "K": [9 numbers], "distortion": [k1 k2 p1 p2 k3],
 *    "lidarToCamera": [16], "lidar": "top"}]}
 * }</pre>
 *
 * The last two are calibrations against a LiDAR, as datasets publish them (the node's calib JSON, a
 * KITTI calib file, a 3x3 intrinsic matrix with a 4x4 LiDAR-to-camera matrix); relative paths are
 * read from the rig file's folder. A LiDAR's {@code lidarToVehicle} defaults to the identity.
 */
public final class RigFiles {
    private RigFiles() {}

    /**
     * Reads {@code file}.
     *
     * @throws BadInputException ({@link BadInputReason#MALFORMED_CALIBRATION}) naming the file and
     *     the entry when it is malformed
     */
    public static Rig read(Path file) {
        return parse(
                JsonCalibration.readObject(file),
                file.toAbsolutePath().getParent(),
                file.toString());
    }

    /** Parses a rig; relative calibration paths are read from {@code dir}. */
    public static Rig parse(JsonObject json, Path dir, String source) {
        try {
            List<Rig.Lidar> lidars = new ArrayList<>();
            for (Object o : array(json, "lidars", source, true)) {
                JsonObject l = entry(o, "lidars", source);
                lidars.add(
                        new Rig.Lidar(
                                id(l, "lidars", source),
                                l.getString("model", ""),
                                l.containsKey("lidarToVehicle")
                                        ? transform(l, "lidarToVehicle", source)
                                        : RigidTransform.identity()));
            }
            List<Rig.Camera> cameras = new ArrayList<>();
            for (Object o : array(json, "cameras", source, false)) {
                JsonObject c = entry(o, "cameras", source);
                cameras.add(
                        camera(
                                c,
                                lidars,
                                dir,
                                source + " camera '" + id(c, "cameras", source) + "'"));
            }
            return new Rig(cameras, lidars);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw bad(source, e.getMessage());
        }
    }

    private static Rig.Camera camera(
            JsonObject c, List<Rig.Lidar> lidars, Path dir, String source) {
        String id = c.getString("id");
        if (c.containsKey("cameraToVehicle")) {
            Calibration intrinsics =
                    JsonCalibration.parse(c.copy().put("lidarToCamera", identity()), source);
            return new Rig.Camera(
                    id,
                    intrinsics.width(),
                    intrinsics.height(),
                    intrinsics.camera(),
                    transform(c, "cameraToVehicle", source),
                    Optional.empty());
        }
        String lidarId = c.getString("lidar");
        if (lidarId == null) {
            throw bad(
                    source,
                    "needs 'cameraToVehicle', or a calibration ('calibration' or 'K' +"
                            + " 'lidarToCamera') with the 'lidar' it was measured against");
        }
        Rig.Lidar lidar =
                lidars.stream()
                        .filter(l -> l.id().equals(lidarId))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        bad(
                                                source,
                                                "'lidar': the rig lists no LiDAR '"
                                                        + lidarId
                                                        + "'"));
        Calibration cal;
        if (c.containsKey("calibration")) {
            JsonObject image = c.getJsonObject("image", new JsonObject());
            cal =
                    CalibrationFiles.read(
                            dir.resolve(c.getString("calibration")),
                            image.getInteger("width", 0),
                            image.getInteger("height", 0));
        } else if (c.containsKey("K")) {
            double[] k = doubles(c.getJsonArray("K"), "K", source);
            if (k.length != 9) {
                throw bad(source, "'K' needs 9 numbers (3x3, row-major), found " + k.length);
            }
            double[] d =
                    doubles(c.getJsonArray("distortion", new JsonArray()), "distortion", source);
            if (d.length > 5) {
                throw bad(source, "'distortion' takes at most 5 values (k1 k2 p1 p2 k3)");
            }
            d = Arrays.copyOf(d, 5);
            JsonObject image = c.getJsonObject("image");
            if (image == null) {
                throw bad(source, "missing object 'image' (width, height)");
            }
            cal =
                    new Calibration(
                            image.getInteger("width"),
                            image.getInteger("height"),
                            new PinholeCamera(k[0], k[4], k[2], k[5], d[0], d[1], d[2], d[3], d[4]),
                            transform(c, "lidarToCamera", source));
        } else {
            throw bad(source, "names a 'lidar' but no 'calibration' file or 'K' + 'lidarToCamera'");
        }
        return new Rig.Camera(
                id,
                cal.width(),
                cal.height(),
                cal.camera(),
                lidar.lidarToVehicle().compose(cal.lidarToCamera().inverseRigid()),
                Optional.of(new Rig.Measured(lidarId, cal.lidarToCamera())));
    }

    /** Serialises a rig with every camera placed in the vehicle frame. */
    public static JsonObject toJson(Rig rig) {
        JsonArray lidars = new JsonArray();
        for (Rig.Lidar l : rig.lidars()) {
            lidars.add(
                    new JsonObject()
                            .put("id", l.id())
                            .put("model", l.model())
                            .put("lidarToVehicle", numbers(l.lidarToVehicle().toArray())));
        }
        JsonArray cameras = new JsonArray();
        for (Rig.Camera c : rig.cameras()) {
            JsonObject calib =
                    JsonCalibration.toJson(
                            new Calibration(
                                    c.width(), c.height(), c.model(), RigidTransform.identity()));
            cameras.add(
                    new JsonObject()
                            .put("id", c.id())
                            .put("image", calib.getJsonObject("image"))
                            .put("camera", calib.getJsonObject("camera"))
                            .put("cameraToVehicle", numbers(c.cameraToVehicle().toArray())));
        }
        return new JsonObject().put("cameras", cameras).put("lidars", lidars);
    }

    private static JsonArray identity() {
        return numbers(RigidTransform.identity().toArray());
    }

    private static JsonArray numbers(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonArray array(JsonObject json, String key, String source, boolean optional) {
        Object v = json.getValue(key);
        if (v == null && optional) {
            return new JsonArray();
        }
        if (!(v instanceof JsonArray a)) {
            throw bad(source, "missing array '" + key + "'");
        }
        return a;
    }

    private static JsonObject entry(Object o, String key, String source) {
        if (!(o instanceof JsonObject e)) {
            throw bad(source, "'" + key + "' must hold objects, found '" + o + "'");
        }
        return e;
    }

    private static String id(JsonObject e, String key, String source) {
        Object id = e.getValue("id");
        if (!(id instanceof String s) || s.isEmpty()) {
            throw bad(source, "an entry of '" + key + "' has no 'id'");
        }
        return s;
    }

    private static RigidTransform transform(JsonObject e, String key, String source) {
        JsonArray a = e.getJsonArray(key);
        if (a == null) {
            throw bad(source, "missing '" + key + "' (16 numbers, row-major 4x4)");
        }
        return RigidTransform.of(doubles(a, key, source));
    }

    private static BadInputException bad(String source, String problem) {
        return JsonCalibration.bad(source, problem);
    }

    private static double[] doubles(JsonArray a, String path, String source) {
        return JsonCalibration.doubles(a, path, source);
    }
}

package dev.fusionnode.io;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.CameraModel;
import dev.fusionnode.calib.KannalaBrandtCamera;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The node's own calibration file ({@code calib.json}):
 *
 * <pre>{@code
 * {"image": {"width": 1363, "height": 768},
 *  "camera": {"model": "pinhole" | "kannala-brandt", "fx": .., "fy": .., "cx": .., "cy": ..,
 *             "distortion": [k1, k2, p1, p2, k3] (pinhole) | [k1, k2, k3, k4] (kannala-brandt)},
 *  "lidarToCamera": [16 numbers, row-major 4x4]}
 * }</pre>
 */
public final class JsonCalibration {
    private JsonCalibration() {}

    /**
     * Reads a calibration JSON file.
     *
     * @throws BadInputException with {@link BadInputReason#MALFORMED_CALIBRATION} when it is
     *     malformed
     */
    public static Calibration read(Path file) {
        return parse(readObject(file), file.toString());
    }

    /** A calibration or rig file's JSON object ({@code MALFORMED_CALIBRATION} when it is none). */
    static JsonObject readObject(Path file) {
        String text = new String(Files2.readAll(file), StandardCharsets.UTF_8);
        try {
            return new JsonObject(text);
        } catch (DecodeException e) {
            throw bad(file.toString(), "not valid JSON: " + e.getMessage());
        }
    }

    /** Parses calibration JSON; {@code source} names it in errors. */
    public static Calibration parse(JsonObject json, String source) {
        try {
            JsonObject image = object(json, "image", source);
            JsonObject cam = object(json, "camera", source);
            int width = number(image, "image.width", "width", source).intValue();
            int height = number(image, "image.height", "height", source).intValue();
            double fx = number(cam, "camera.fx", "fx", source).doubleValue();
            double fy = number(cam, "camera.fy", "fy", source).doubleValue();
            double cx = number(cam, "camera.cx", "cx", source).doubleValue();
            double cy = number(cam, "camera.cy", "cy", source).doubleValue();
            String model = cam.getString("model", "pinhole");
            double[] d =
                    doubles(
                            cam.getJsonArray("distortion", new JsonArray()),
                            "camera.distortion",
                            source);
            CameraModel cameraModel =
                    switch (model) {
                        case "pinhole" -> {
                            double[] k = Arrays.copyOf(d, 5);
                            if (d.length > 5) {
                                throw bad(
                                        source,
                                        "camera.distortion: pinhole takes at most 5 values (k1 k2 p1 p2 k3)");
                            }
                            yield new PinholeCamera(fx, fy, cx, cy, k[0], k[1], k[2], k[3], k[4]);
                        }
                        case "kannala-brandt", "fisheye" -> {
                            if (d.length != 4) {
                                throw bad(
                                        source,
                                        "camera.distortion: kannala-brandt needs 4 values (k1..k4), found "
                                                + d.length);
                            }
                            yield new KannalaBrandtCamera(fx, fy, cx, cy, d[0], d[1], d[2], d[3]);
                        }
                        default ->
                                throw bad(
                                        source,
                                        "camera.model: '"
                                                + model
                                                + "' is not one of pinhole, kannala-brandt");
                    };
            JsonArray t = json.getJsonArray("lidarToCamera");
            if (t == null) {
                throw bad(source, "missing key 'lidarToCamera' (16 numbers, row-major 4x4)");
            }
            RigidTransform extrinsic = RigidTransform.of(doubles(t, "lidarToCamera", source));
            return new Calibration(width, height, cameraModel, extrinsic);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw bad(source, e.getMessage());
        }
    }

    /** Serialises a calibration in this format. */
    public static JsonObject toJson(Calibration c) {
        JsonObject cam =
                new JsonObject()
                        .put("model", c.camera().modelName())
                        .put("fx", c.camera().fx())
                        .put("fy", c.camera().fy())
                        .put("cx", c.camera().cx())
                        .put("cy", c.camera().cy());
        JsonArray d = new JsonArray();
        if (c.camera() instanceof PinholeCamera p) {
            d.add(p.k1()).add(p.k2()).add(p.p1()).add(p.p2()).add(p.k3());
        } else if (c.camera() instanceof KannalaBrandtCamera k) {
            d.add(k.k1()).add(k.k2()).add(k.k3()).add(k.k4());
        }
        cam.put("distortion", d);
        JsonArray t = new JsonArray();
        for (double v : c.lidarToCamera().toArray()) {
            t.add(v);
        }
        return new JsonObject()
                .put("image", new JsonObject().put("width", c.width()).put("height", c.height()))
                .put("camera", cam)
                .put("lidarToCamera", t);
    }

    private static JsonObject object(JsonObject json, String key, String source) {
        Object v = json.getValue(key);
        if (!(v instanceof JsonObject o)) {
            throw bad(source, "missing object '" + key + "'");
        }
        return o;
    }

    private static Number number(JsonObject json, String path, String key, String source) {
        Object v = json.getValue(key);
        if (!(v instanceof Number n)) {
            throw bad(
                    source,
                    path + ": expected a number, found " + (v == null ? "nothing" : "'" + v + "'"));
        }
        if (!Double.isFinite(n.doubleValue())) {
            throw bad(source, path + ": value is not finite");
        }
        return n;
    }

    /** The finite numbers of {@code a} ({@code MALFORMED_CALIBRATION} naming the entry if not). */
    static double[] doubles(JsonArray a, String path, String source) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = a.getValue(i);
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw bad(
                        source, path + "[" + i + "]: expected a finite number, found '" + v + "'");
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    static BadInputException bad(String source, String problem) {
        return new BadInputException(
                BadInputReason.MALFORMED_CALIBRATION, source, "malformed calibration: " + problem);
    }
}

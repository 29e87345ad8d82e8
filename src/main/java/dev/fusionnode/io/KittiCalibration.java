package dev.fusionnode.io;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * KITTI object-benchmark calibration ({@code calib/*.txt}): {@code P2} (3x4, rectified left colour
 * camera), {@code R0_rect} (3x3) and {@code Tr_velo_to_cam} (3x4). A LiDAR point projects as {@code
 * P2 * R0_rect * Tr_velo_to_cam * [p;1]}. The same layout serves Iseauto's KITTI-style {@code
 * calib.txt}.
 */
public final class KittiCalibration {
    private KittiCalibration() {}

    /**
     * Reads a KITTI calibration for an image of {@code width x height}.
     *
     * @throws BadInputException with {@link BadInputReason#MALFORMED_CALIBRATION} on missing or
     *     malformed entries
     */
    public static Calibration read(Path file, int width, int height) {
        return parse(
                new String(Files2.readAll(file), StandardCharsets.UTF_8),
                file.toString(),
                width,
                height);
    }

    /** Parses calibration text; {@code source} names it in errors. */
    public static Calibration parse(String text, String source, int width, int height) {
        Map<String, double[]> entries = new HashMap<>();
        String[] lines = text.split("\\R");
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln].trim();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw bad(
                        source,
                        "line " + (ln + 1) + " is not 'key: values': '" + abbreviate(line) + "'");
            }
            String key = line.substring(0, colon).trim();
            String[] parts = line.substring(colon + 1).trim().split("\\s+");
            double[] values = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    values[i] = Double.parseDouble(parts[i]);
                } catch (NumberFormatException e) {
                    throw bad(
                            source,
                            "line "
                                    + (ln + 1)
                                    + " key '"
                                    + key
                                    + "': '"
                                    + parts[i]
                                    + "' is not a number");
                }
                if (!Double.isFinite(values[i])) {
                    throw bad(
                            source,
                            "line "
                                    + (ln + 1)
                                    + " key '"
                                    + key
                                    + "': value "
                                    + parts[i]
                                    + " is not finite");
                }
            }
            entries.put(key, values);
        }
        double[] p2 = require(entries, source, 12, "P2");
        double[] r0 = require(entries, source, 9, "R0_rect", "R_rect");
        double[] tr = require(entries, source, 12, "Tr_velo_to_cam", "Tr_velo_cam");
        return fromMatrices(p2, r0, tr, width, height, source);
    }

    /**
     * Builds a calibration from KITTI's matrices. {@code P2 = K [I | t]}: the intrinsics are its
     * left 3x3 block and the rectified-camera offset {@code t = K^-1 P2[:,3]} joins the extrinsic,
     * so the camera-frame depth equals the homogeneous divisor of the full product.
     */
    public static Calibration fromMatrices(
            double[] p2, double[] r0, double[] tr, int width, int height, String source) {
        double fx = p2[0];
        double skew = p2[1];
        double cx = p2[2];
        double fy = p2[5];
        double cy = p2[6];
        if (p2[4] != 0 || p2[8] != 0 || p2[9] != 0 || p2[10] != 1 || skew != 0) {
            throw bad(source, "P2 is not of the form K[I|t] with zero skew and K[2] = [0 0 1]");
        }
        if (!(fx > 0) || !(fy > 0)) {
            throw bad(source, "P2 focal lengths must be positive, got fx=" + fx + " fy=" + fy);
        }
        // t = K^-1 * P2[:,3]
        double tz = p2[11];
        double ty = (p2[7] - cy * tz) / fy;
        double tx = (p2[3] - cx * tz) / fx;
        RigidTransform lidarToCam =
                RigidTransform.ofTranslation(tx, ty, tz)
                        .compose(RigidTransform.ofRotation(r0))
                        .compose(RigidTransform.of(tr));
        try {
            return new Calibration(width, height, PinholeCamera.ideal(fx, fy, cx, cy), lidarToCam);
        } catch (IllegalArgumentException e) {
            throw bad(source, e.getMessage());
        }
    }

    private static double[] require(
            Map<String, double[]> entries, String source, int count, String... keys) {
        for (String k : keys) {
            double[] v = entries.get(k);
            if (v != null) {
                if (v.length != count) {
                    throw bad(
                            source,
                            "key '" + k + "' needs " + count + " values, found " + v.length);
                }
                return v;
            }
        }
        throw bad(source, "missing key '" + keys[0] + "' (found: " + entries.keySet() + ")");
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static BadInputException bad(String source, String problem) {
        return new BadInputException(
                BadInputReason.MALFORMED_CALIBRATION, source, "malformed calibration: " + problem);
    }
}

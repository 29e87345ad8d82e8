package dev.fusionnode.velodyne;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-laser corrections of one sensor and its distance unit: read from a calibration database
 * in the JSON layout of the ROS and Foxglove Velodyne tools ({@code {"lasers": [{laser_id,
 * vert_correction, rot_correction, dist_correction, ...}], "distance_resolution": 0.002}}), or the
 * nominal angles of a model from its manual.
 *
 * @param lasers corrections by laser id
 * @param distanceUnitM metres per raw distance unit
 * @param source where it came from
 */
public record VelodyneCalibration(
        List<LaserCorrection> lasers, double distanceUnitM, String source) {
    private static final double[] VLP16 = {
        -15, 1, -13, 3, -11, 5, -9, 7, -7, 9, -5, 11, -3, 13, -1, 15
    };
    private static final double[] HDL32E = {
        -30.67, -9.33, -29.33, -8.00, -28.00, -6.67, -26.67, -5.33, -25.33, -4.00, -24.00, -2.67,
        -22.67, -1.33, -21.33, 0.00, -20.00, 1.33, -18.67, 2.67, -17.33, 4.00, -16.00, 5.33, -14.67,
        6.67, -13.33, 8.00, -12.00, 9.33, -10.67, 10.67
    };
    private static final double[] VLP32C = {
        -25, -1, -1.667, -15.639, -11.31, 0, -0.667, -8.843, -7.254, 0.333, -0.333, -6.148, -5.333,
        1.333, 0.667, -4, -4.667, 1.667, 1, -3.667, -3.333, 3.333, 2.333, -2.667, -3, 7, 4.667,
        -2.333, -2, 15, 10.333, -1.333
    };
    private static final double[] VLP32C_AZIMUTH = {
        -1.4, 4.2, -1.4, 1.4, -1.4, 1.4, -4.2, 1.4, -1.4, 4.2, -1.4, 1.4, -4.2, 1.4, -4.2, 1.4,
        -1.4, 4.2, -1.4, 4.2, -4.2, 1.4, -1.4, 1.4, -1.4, 1.4, -1.4, 4.2, -4.2, 1.4, -1.4, 1.4
    };

    /** Copies the list. */
    public VelodyneCalibration {
        lasers = List.copyOf(lasers);
        if (!(distanceUnitM > 0) || !Double.isFinite(distanceUnitM)) {
            throw new IllegalArgumentException("distance unit must be positive: " + distanceUnitM);
        }
    }

    /** The nominal beam angles of {@code model} (its manual's table), in its distance unit. */
    public static VelodyneCalibration nominal(VelodyneModel model) {
        double[] elevation =
                switch (model) {
                    case VLP_16, PUCK_HI_RES -> VLP16;
                    case HDL_32E -> HDL32E;
                    case VLP_32C -> VLP32C;
                };
        if (model == VelodyneModel.PUCK_HI_RES) {
            elevation = elevation.clone();
            for (int i = 0; i < elevation.length; i++) {
                elevation[i] /= 1.5; // +-10 degrees instead of +-15
            }
        }
        List<LaserCorrection> out = new ArrayList<>();
        for (int i = 0; i < elevation.length; i++) {
            out.add(
                    LaserCorrection.ofAngles(
                            elevation[i], model == VelodyneModel.VLP_32C ? VLP32C_AZIMUTH[i] : 0));
        }
        return new VelodyneCalibration(out, model.distanceUnitM(), "nominal " + model);
    }

    /**
     * Reads a calibration database.
     *
     * @throws BadInputException {@link BadInputReason#MALFORMED_CALIBRATION} naming the problem
     */
    public static VelodyneCalibration read(Path file) {
        JsonObject json;
        try {
            json = new JsonObject(Files.readString(file));
        } catch (IOException e) {
            throw new BadInputException(
                    BadInputReason.MISSING_FILE, file, "cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_CALIBRATION, file, "is not JSON: " + e.getMessage());
        }
        JsonArray lasers = json.getJsonArray("lasers");
        if (lasers == null || lasers.isEmpty()) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_CALIBRATION, file, "has no 'lasers' list");
        }
        LaserCorrection[] byId = new LaserCorrection[lasers.size()];
        for (int i = 0; i < lasers.size(); i++) {
            JsonObject l = lasers.getJsonObject(i);
            int id = l.getInteger("laser_id", i);
            if (id < 0 || id >= byId.length || byId[id] != null) {
                throw new BadInputException(
                        BadInputReason.MALFORMED_CALIBRATION,
                        file,
                        "laser " + i + " has laser_id " + id + " (out of range or repeated)");
            }
            byId[id] =
                    new LaserCorrection(
                            number(l, "vert_correction", file),
                            number(l, "rot_correction", file),
                            number(l, "dist_correction", file),
                            number(l, "dist_correction_x", file),
                            number(l, "dist_correction_y", file),
                            number(l, "vert_offset_correction", file),
                            number(l, "horiz_offset_correction", file),
                            number(l, "focal_distance", file),
                            number(l, "focal_slope", file));
        }
        double unit = json.getDouble("distance_resolution", 0.002);
        try {
            return new VelodyneCalibration(List.of(byId), unit, file.toString());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(BadInputReason.MALFORMED_CALIBRATION, file, e.getMessage());
        }
    }

    private static double number(JsonObject l, String key, Path file) {
        Object v = l.getValue(key, 0);
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_CALIBRATION,
                    file,
                    "laser " + l.getValue("laser_id") + ": '" + key + "' is not a finite number");
        }
        return n.doubleValue();
    }
}

package dev.fusionnode.synth;

/**
 * A spinning LiDAR: beam elevations, azimuth step, range limit and noise.
 *
 * @param name sensor name
 * @param elevationsDeg beam elevations, degrees (positive up)
 * @param azimuthStepDeg horizontal resolution at the frame rate, degrees
 * @param maxRangeM farthest return
 * @param rangeNoiseM standard deviation of the range error
 */
public record LidarModel(
        String name,
        double[] elevationsDeg,
        double azimuthStepDeg,
        double maxRangeM,
        double rangeNoiseM) {

    /** A Velodyne HDL-64E-like 64-beam sensor (+2 to -24.9 degrees) at 10 Hz. */
    public static LidarModel velodyne64(double azimuthStepDeg) {
        double[] e = new double[64];
        for (int i = 0; i < 32; i++) {
            e[i] = 2.0 - i * (10.33 / 31); // upper block: +2 .. -8.33
        }
        for (int i = 0; i < 32; i++) {
            e[32 + i] = -8.83 - i * (16.07 / 31); // lower block: -8.83 .. -24.9
        }
        return new LidarModel("velodyne-64", e, azimuthStepDeg, 120, 0.02);
    }

    /** A Velodyne VLP-32C-like 32-beam sensor (+15 to -25 degrees, dense near the horizon). */
    public static LidarModel velodyne32(double azimuthStepDeg) {
        double[] e = {
            -25, -15.639, -11.31, -8.843, -7.254, -6.148, -5.333, -4.667, -4.0, -3.667, -3.333,
            -3.0, -2.667, -2.333, -2.0, -1.667, -1.333, -1.0, -0.667, -0.333, 0.0, 0.333, 0.667,
            1.0, 1.333, 1.667, 2.333, 3.333, 4.667, 7.0, 10.333, 15.0
        };
        return new LidarModel("velodyne-32", e, azimuthStepDeg, 120, 0.02);
    }

    /** The model with {@code beams} beams (32 or 64). */
    public static LidarModel ofBeams(int beams, double azimuthStepDeg) {
        return switch (beams) {
            case 32 -> velodyne32(azimuthStepDeg);
            case 64 -> velodyne64(azimuthStepDeg);
            default -> throw new IllegalArgumentException("beams must be 32 or 64, got " + beams);
        };
    }

    /** Copies the elevations. */
    public LidarModel {
        elevationsDeg = elevationsDeg.clone();
        if (!(azimuthStepDeg > 0)) {
            throw new IllegalArgumentException("azimuth step must be positive");
        }
    }

    /** Number of beams. */
    public int beams() {
        return elevationsDeg.length;
    }
}

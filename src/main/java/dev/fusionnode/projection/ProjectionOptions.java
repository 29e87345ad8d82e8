package dev.fusionnode.projection;

import dev.fusionnode.config.ConfigReader;
import dev.fusionnode.geometry.LidarEncoding;
import java.nio.file.Path;
import java.util.Optional;

/**
 * LiDAR projection stage settings.
 *
 * @param encoding CLFT LiDAR image encoding the model expects
 * @param minDepthM points closer than this (camera-frame depth, metres) are not projected
 * @param calibration calibration file used when the source supplies none
 * @param rig rig file: each camera's calibration against each LiDAR (before {@code calibration})
 */
public record ProjectionOptions(
        LidarEncoding encoding, double minDepthM, Optional<Path> calibration, Optional<Path> rig) {
    /** Default minimum depth, 0.5 m. */
    public static final double DEFAULT_MIN_DEPTH_M = 0.5;

    /** Defaults for tests and tools. */
    public static ProjectionOptions defaults() {
        return new ProjectionOptions(
                LidarEncoding.ZOD_BASIC, DEFAULT_MIN_DEPTH_M, Optional.empty(), Optional.empty());
    }

    /** Reads the {@code projection} block. */
    public static ProjectionOptions from(ConfigReader r) {
        LidarEncoding encoding =
                r.parsed("encoding", LidarEncoding.ZOD_BASIC, LidarEncoding::fromId);
        double minDepth = r.number("minDepthM", DEFAULT_MIN_DEPTH_M, 0, 1000);
        String calib = r.string("calibration", null);
        String rig = r.string("rig", null);
        r.rejectUnknownKeys();
        return new ProjectionOptions(
                encoding,
                minDepth,
                Optional.ofNullable(calib).map(Path::of),
                Optional.ofNullable(rig).map(Path::of));
    }
}

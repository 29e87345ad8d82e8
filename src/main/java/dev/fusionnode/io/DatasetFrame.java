package dev.fusionnode.io;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of one dataset frame, resolved from a split line.
 *
 * @param index zero-based line index in the split
 * @param line the split line (camera path relative to the root)
 * @param camera the camera image
 * @param annotation the class-id annotation, when present
 * @param lidarPng the dataset's precomputed LiDAR image, when present
 * @param lidarPoints the point file (pickle, or KITTI {@code .bin}); may not exist
 * @param calibration a per-frame calibration file (KITTI), when present
 */
public record DatasetFrame(
        int index,
        String line,
        Path camera,
        Optional<Path> annotation,
        Optional<Path> lidarPng,
        Optional<Path> lidarPoints,
        Optional<Path> calibration) {}

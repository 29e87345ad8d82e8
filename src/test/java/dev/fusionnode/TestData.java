package dev.fusionnode;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locations of test data: the real KITTI, Velodyne and CLFT manifest files in the repository's
 * {@code data/} folder (sources and licences in {@code data/README.md}) and the test resources.
 */
public final class TestData {
    private TestData() {}

    /** The repository's real-data folder, {@code data/}. */
    public static Path data() {
        return existing(Path.of("data"));
    }

    /** The three KITTI frames, {@code data/kitti}. */
    public static Path kitti() {
        return existing(data().resolve("kitti"));
    }

    /** The raw Velodyne packets and calibration databases, {@code data/velodyne}. */
    public static Path velodyne() {
        return existing(data().resolve("velodyne"));
    }

    /** The CLFT state-dict manifests, {@code data/clft}. */
    public static Path clftManifests() {
        return existing(data().resolve("clft"));
    }

    /** A test resource folder or file. */
    public static Path resource(String relative) {
        return existing(Path.of("src/test/resources").resolve(relative));
    }

    private static Path existing(Path relative) {
        Path p = relative.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new IllegalStateException("test data not found: " + p);
        }
        return p;
    }
}

package dev.fusionnode;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locations of test data: {@code ../shared} (real KITTI and Velodyne data) and the test resources.
 */
public final class TestData {
    private TestData() {}

    /** The shared material folder. */
    public static Path shared() {
        Path p =
                Path.of(System.getProperty("fusionnode.shared.dir", "../shared"))
                        .toAbsolutePath()
                        .normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared data folder not found: " + p);
        }
        return p;
    }

    /** The KITTI sample folder in {@code ../shared/data/kitti}. */
    public static Path kitti() {
        return shared().resolve("data/kitti");
    }

    /** A test resource folder or file. */
    public static Path resource(String relative) {
        Path p = Path.of("src/test/resources").resolve(relative).toAbsolutePath();
        if (!Files.exists(p)) {
            throw new IllegalStateException("test resource not found: " + p);
        }
        return p;
    }
}

package dev.fusionnode.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A small dataset folder over the sample drive for training tests: links to its camera, annotation
 * and LiDAR folders, and split files naming chosen lines of its {@code all.txt}.
 */
public final class SampleSplits {
    private SampleSplits() {}

    /**
     * Creates {@code dir} with one split file per entry of {@code splits} (file name to line
     * indices of the sample drive's {@code all.txt}).
     */
    public static Path create(Path dir, Map<String, int[]> splits) throws IOException {
        Path sample = Path.of("recordings/sample-drive").toAbsolutePath();
        Files.createDirectories(dir);
        for (String sub : List.of("camera", "annotation_camera_only", "lidar_png")) {
            Files.createSymbolicLink(dir.resolve(sub), sample.resolve(sub));
        }
        List<String> all = Files.readAllLines(sample.resolve("all.txt"));
        for (Map.Entry<String, int[]> e : splits.entrySet()) {
            List<String> lines = Arrays.stream(e.getValue()).mapToObj(all::get).toList();
            Files.write(dir.resolve(e.getKey()), lines);
        }
        return dir;
    }
}

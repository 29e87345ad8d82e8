package dev.fusionnode.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.cli.FusionNode;
import dev.fusionnode.pipeline.Image;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code benchmark preprocess} runs from the repository's data (the sample drive's frame and a real
 * KITTI scan projected at the camera's size), and every way it times gives the same float bits.
 */
class PreprocessBenchmarkTest {
    @Test
    void theProjectedScanIsPointsAtTheCameraSize() {
        var projected =
                PreprocessBenchmark.projectedScan(
                        Path.of("data/kitti/velodyne/000000.bin"), 1363, 768);
        Image image = projected.image();
        assertThat(image.width()).isEqualTo(1363);
        assertThat(image.height()).isEqualTo(768);
        // the count data/README.md gives for the scan's own image: the scaled camera sees the same
        assertThat(projected.pointsLanded()).isEqualTo(20285);
    }

    @Test
    void allWaysAgreeOnAShortRun() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code =
                    new CommandLine(new FusionNode())
                            .execute(
                                    "benchmark",
                                    "preprocess",
                                    "--iterations",
                                    "3",
                                    "--warmup",
                                    "1");
        } finally {
            System.setOut(previous);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("same float bits: true").contains("20285 points");
        assertThat(code).as(printed).isZero();
    }
}

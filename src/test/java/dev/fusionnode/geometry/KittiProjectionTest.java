package dev.fusionnode.geometry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.TestData;
import dev.fusionnode.calib.Calibration;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.KittiCalibration;
import dev.fusionnode.io.KittiScanReader;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Verifies the projection of real KITTI scans against the counts data/README.md states. */
class KittiProjectionTest {

    /**
     * Verifies that P2 * R0_rect * Tr_velo_to_cam with depth > 0.5 m and 0 <= u < width, 0 <= v <
     * height lands exactly the documented number of points in each image.
     */
    @ParameterizedTest
    @CsvSource({"000000, 115384, 20285", "000001, 120268, 18630", "000002, 126891, 20210"})
    void landsTheDocumentedPointCounts(String frame, int scanPoints, int expectedInImage) {
        Path kitti = TestData.kitti();
        Image image =
                ImageCodec.read(
                        kitti.resolve("image_2/" + frame + ".png"), ImageCodec.Channels.RGB);
        PointCloud cloud = KittiScanReader.read(kitti.resolve("velodyne/" + frame + ".bin"));
        Calibration calib =
                KittiCalibration.read(
                        kitti.resolve("calib/" + frame + ".txt"), image.width(), image.height());

        ProjectedPoints projected =
                new LidarProjector(0.5).project(LidarScan.of("top", 0, 0, cloud, frame), calib);

        assertThat(cloud.size()).isEqualTo(scanPoints);
        assertThat(projected.count()).isEqualTo(expectedInImage);
        assertThat(projected.countInsideReference()).isEqualTo(expectedInImage);
        LidarScan scan = LidarScan.of("top", 0, 0, cloud, frame);
        for (LidarEncoding encoding : LidarEncoding.values()) {
            EncodedLidar twoStep =
                    encoding.encoder().encode(projected, image.width(), image.height());
            EncodedLidar rasterized =
                    encoding.rasterize(
                            new LidarProjector(0.5), scan, calib, image.width(), image.height());
            assertThat(twoStep.pointsLanded()).as(encoding.id()).isEqualTo(expectedInImage);
            assertThat(rasterized.pointsLanded()).as(encoding.id()).isEqualTo(expectedInImage);
            assertThat(rasterized.image().samePixels(twoStep.image()))
                    .as(encoding.id() + " one-pass = two-step")
                    .isTrue();
        }
    }
}

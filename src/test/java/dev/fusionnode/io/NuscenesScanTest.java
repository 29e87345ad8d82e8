package dev.fusionnode.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.TestData;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nuScenes {@code .pcd.bin} scans (x, y, z, intensity, ring) read by their name or by asking for 5
 * floats; the size alone is ambiguous.
 */
class NuscenesScanTest {
    @TempDir Path dir;

    /** The points of {@code cloud} as nuScenes stores them, with ring {@code i % 32}. */
    private static byte[] nuscenes(PointCloud cloud) {
        ByteBuffer b = ByteBuffer.allocate(cloud.size() * 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < cloud.size(); i++) {
            b.putFloat(cloud.x(i)).putFloat(cloud.y(i)).putFloat(cloud.z(i));
            b.putFloat(cloud.intensity(i)).putFloat(i % 32);
        }
        return b.array();
    }

    @Test
    void aPcdBinReadsAsTheSamePointsAsTheKittiFile() throws Exception {
        PointCloud kitti = KittiScanReader.read(TestData.kitti().resolve("velodyne/000000.bin"));
        Path pcd =
                dir.resolve("n015-2018-07-24-11-22-45+0800__LIDAR_TOP__1532402927647951.pcd.bin");
        Files.write(pcd, nuscenes(kitti));
        PointCloud read = KittiScanReader.read(pcd);
        assertThat(read.size()).isEqualTo(kitti.size()).isEqualTo(115384);
        for (int i = 0; i < kitti.size(); i += 997) {
            assertThat(read.x(i)).isEqualTo(kitti.x(i));
            assertThat(read.y(i)).isEqualTo(kitti.y(i));
            assertThat(read.z(i)).isEqualTo(kitti.z(i));
            assertThat(read.intensity(i)).isEqualTo(kitti.intensity(i));
        }
        // the same bytes under another name: 5 floats only when asked
        Path plain = dir.resolve("scan.bin");
        Files.write(plain, nuscenes(kitti));
        assertThat(KittiScanReader.read(plain, 5).size()).isEqualTo(115384);
    }

    @Test
    void aSizeThatFitsBothIsReadAsToldAndAPartialPointIsNamed() throws Exception {
        Path both = dir.resolve("both.bin");
        Files.write(both, new byte[80]); // 5 KITTI points or 4 nuScenes points
        assertThat(KittiScanReader.read(both).size()).isEqualTo(5);
        assertThat(KittiScanReader.read(both, 5).size()).isEqualTo(4);
        Path cut = dir.resolve("cut.pcd.bin");
        Files.write(cut, new byte[84]);
        assertThatThrownBy(() -> KittiScanReader.read(cut))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("cut.pcd.bin")
                .hasMessageContaining("not a multiple of 20");
    }
}

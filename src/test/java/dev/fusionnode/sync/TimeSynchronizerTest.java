package dev.fusionnode.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.pipeline.SyncedFrame;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verifies nearest-in-time pairing with tolerance, offsets, waiting, timeouts and order. */
class TimeSynchronizerTest {
    private static final long MS = 1_000_000L;
    private static final Image IMG = Image.blank(4, 4, 3);

    private static SyncOptions options(
            long toleranceMs, long timeoutMs, Map<String, Long> offsets) {
        return new SyncOptions(
                toleranceMs * MS,
                timeoutMs * MS,
                SyncOptions.UnpairedPolicy.CAMERA_ONLY,
                offsets,
                8);
    }

    private static CameraFrame cam(long seq, long tMs) {
        return new CameraFrame("front", seq, tMs * MS, IMG, "");
    }

    private static LidarScan scan(long seq, long tMs) {
        return LidarScan.of("top", seq, tMs * MS, new PointCloud(new float[4]), "");
    }

    /**
     * Verifies that a camera frame pairs with the nearest scan once a scan at or after its time
     * exists.
     */
    @Test
    void pairsWithNearestScanOnceALaterScanExists() {
        TimeSynchronizer s = new TimeSynchronizer(options(50, 1000, Map.of()));
        assertThat(s.onScan(scan(0, 1000))).isEmpty();
        assertThat(s.onCamera(cam(0, 1030), 0)).isEmpty(); // a nearer scan may still come
        List<TimeSynchronizer.Decision> d = s.onScan(scan(1, 1100));
        assertThat(d).hasSize(1);
        assertThat(d.get(0).paired()).isTrue();
        assertThat(d.get(0).frame().scan().orElseThrow().seq()).isEqualTo(0);
        assertThat(d.get(0).frame().skewNs()).isEqualTo(-30 * MS);
    }

    /**
     * Verifies that with a known LiDAR period a frame is decided without waiting when no later scan
     * can be nearer.
     */
    @Test
    void decidesEarlyWhenTheNextScanCannotBeNearer() {
        TimeSynchronizer s = new TimeSynchronizer(options(50, 1000, Map.of()));
        s.onScan(scan(0, 900));
        s.onScan(scan(1, 1000));
        List<TimeSynchronizer.Decision> d = s.onCamera(cam(0, 1005), 0);
        assertThat(d).hasSize(1);
        assertThat(d.get(0).frame().scan().orElseThrow().seq()).isEqualTo(1);
    }

    /**
     * Verifies that with two LiDARs a frame pairs with the nearest scan and carries the other
     * LiDAR's nearest scan within the tolerance (after its offset); one out of tolerance is left.
     */
    @Test
    void aSecondLidarsNearestScanGoesWithTheFrame() {
        TimeSynchronizer s = new TimeSynchronizer(options(50, 1000, Map.of("rear", -20 * MS)));
        s.onScan(scan(0, 1000));
        s.onScan(LidarScan.of("rear", 0, 990 * MS, new PointCloud(new float[4]), ""));
        s.onScan(LidarScan.of("rear", 1, 1045 * MS, new PointCloud(new float[4]), ""));
        s.onScan(LidarScan.of("side", 0, 1200 * MS, new PointCloud(new float[4]), ""));
        List<TimeSynchronizer.Decision> d = s.onCamera(cam(0, 1010), 0);
        assertThat(d).hasSize(1);
        SyncedFrame f = d.get(0).frame();
        // rear scans at 990 and 1045 are at 970 and 1025 after the -20 ms offset: 1025 is nearer
        assertThat(f.scan().orElseThrow().sensorId()).isEqualTo("top");
        assertThat(f.otherScans()).extracting(LidarScan::sensorId).containsExactly("rear");
        assertThat(f.otherScans().get(0).seq()).isEqualTo(1);
    }

    /** Verifies that per-sensor offsets shift the stamps before pairing. */
    @Test
    void appliesPerSensorOffsets() {
        TimeSynchronizer s = new TimeSynchronizer(options(10, 1000, Map.of("top", 40 * MS)));
        s.onScan(scan(0, 960));
        List<TimeSynchronizer.Decision> d = s.onCamera(cam(0, 1000), 0);
        assertThat(d).hasSize(1);
        assertThat(d.get(0).paired()).isTrue();
        assertThat(d.get(0).frame().skewNs()).isZero();
    }

    /**
     * Verifies that a frame without a scan in tolerance is released camera-only on timeout, in
     * arrival order.
     */
    @Test
    void timesOutToCameraOnlyInOrder() {
        TimeSynchronizer s = new TimeSynchronizer(options(20, 100, Map.of()));
        s.onScan(scan(0, 1000));
        assertThat(s.onCamera(cam(0, 1050), 0)).isEmpty();
        assertThat(s.onCamera(cam(1, 1060), 10 * MS)).isEmpty();
        assertThat(s.onTimer(50 * MS)).isEmpty();
        List<TimeSynchronizer.Decision> d = s.onTimer(100 * MS);
        assertThat(d).hasSize(1);
        assertThat(d.get(0).paired()).isFalse();
        assertThat(d.get(0).frame().camera().seq()).isZero();
        d = s.onTimer(110 * MS);
        assertThat(d).extracting(x -> x.frame().camera().seq()).containsExactly(1L);
    }

    /** Verifies that a scan beyond the tolerance on both sides leaves the frame camera-only. */
    @Test
    void outsideToleranceIsCameraOnly() {
        TimeSynchronizer s = new TimeSynchronizer(options(50, 1000, Map.of()));
        s.onScan(scan(0, 900));
        s.onCamera(cam(0, 1000), 0);
        List<TimeSynchronizer.Decision> d = s.onScan(scan(1, 1100));
        assertThat(d).hasSize(1);
        assertThat(d.get(0).paired()).isFalse();
    }

    /**
     * Verifies that one scan can serve several camera frames (camera faster than LiDAR) and old
     * scans are evicted.
     */
    @Test
    void oneScanServesSeveralFramesAndOldScansAreEvicted() {
        TimeSynchronizer s = new TimeSynchronizer(options(50, 1000, Map.of()));
        s.onScan(scan(0, 1000));
        assertThat(s.onCamera(cam(0, 990), 0))
                .extracting(x -> x.frame().scan().orElseThrow().seq())
                .containsExactly(0L);
        assertThat(s.onCamera(cam(1, 1000), 0))
                .extracting(x -> x.frame().scan().orElseThrow().seq())
                .containsExactly(0L);
        List<TimeSynchronizer.Decision> d = s.onCamera(cam(2, 1010), 0);
        assertThat(d).isEmpty();
        d = s.onScan(scan(1, 1100));
        assertThat(d).extracting(x -> x.frame().scan().orElseThrow().seq()).containsExactly(0L);
        s.onScan(scan(2, 1200));
        s.onCamera(cam(3, 1195), 0);
        assertThat(s.bufferedScans()).isLessThanOrEqualTo(2);
    }
}

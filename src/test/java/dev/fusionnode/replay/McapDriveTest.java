package dev.fusionnode.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.drive.DriveMessages;
import dev.fusionnode.io.JsonCalibration;
import dev.fusionnode.mcap.McapWriter;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorded drive as frames: one per camera image with the scan written before it, the calibration
 * before the first frame as the start calibration, loop passes shifted by the drive's length plus a
 * frame period, sequence numbers counting on; a message that does not decode skips its frame
 * (counted) and the others play.
 */
class McapDriveTest {
    @TempDir Path dir;

    @Test
    void framesLoopsAndBadMessages() throws Exception {
        Path file = dir.resolve("drive.mcap");
        var cal = JsonCalibration.read(Path.of("recordings/sample-drive/calibration.json"));
        try (McapWriter w = McapWriter.create(file, McapWriter.Compression.ZSTD, 1 << 16)) {
            int n = 0;
            for (String s :
                    List.of(
                            DriveMessages.CALIBRATION_SCHEMA,
                            DriveMessages.IMAGE_SCHEMA,
                            DriveMessages.CLOUD_SCHEMA)) {
                w.schema(
                        ++n,
                        s,
                        "jsonschema",
                        DriveMessages.schema(s).getBytes(StandardCharsets.UTF_8));
            }
            w.channel(1, 1, "/front/calibration", "json", Map.of());
            w.channel(2, 2, "/front/image", "json", Map.of());
            w.channel(3, 3, "/top/points", "json", Map.of());
            w.message(
                    1,
                    0,
                    0,
                    0,
                    DriveMessages.calibration(
                            new CalibrationUpdate(
                                    "front", "top", Long.MIN_VALUE, Optional.of(cal))));
            for (int i = 0; i < 4; i++) {
                long t = 1_000_000_000L + i * 100_000_000L;
                w.message(
                        3,
                        i,
                        t - 5_000_000,
                        t,
                        DriveMessages.scan(
                                LidarScan.of(
                                        "top",
                                        i,
                                        t - 5_000_000,
                                        new PointCloud(new float[] {i, 0, 0, 1}),
                                        "test")));
                byte[] image =
                        i == 2
                                ? "{\"timestamp\": {\"sec\": 1, \"nsec\": 0}, \"data\": \"bm90IGFuIGltYWdl\", \"format\": \"png\", \"frame_id\": \"front\"}"
                                        .getBytes(StandardCharsets.UTF_8)
                                : DriveMessages.camera(
                                        new CameraFrame(
                                                "front", i, t, Image.blank(8, 4, 3), "test"));
                w.message(2, i, t, t, image);
            }
        }
        McapDrive drive = McapDrive.open(file, "test");
        assertThat(drive.frames()).isEqualTo(4);
        assertThat(drive.passShiftNs()).isEqualTo(400_000_000L);
        List<BadInputReason> bad = new ArrayList<>();
        NodeMetrics metrics =
                new NodeMetrics() {
                    @Override
                    public void badInput(BadInputReason reason) {
                        bad.add(reason);
                    }
                };
        FrameSource source = drive.open(metrics);
        assertThat(source.startCalibration())
                .get()
                .extracting(u -> u.calibration().isPresent())
                .isEqualTo(true);
        LoadedFrame f1 = source.load(7, 1, 0);
        assertThat(f1.generation()).isEqualTo(7);
        assertThat(f1.camera().orElseThrow().captureTimeNs()).isEqualTo(1_100_000_000L);
        assertThat(f1.scans().get(0).timeNs()).isEqualTo(1_095_000_000L);
        assertThat(f1.scans().get(0).points().x(0)).isEqualTo(1f);
        LoadedFrame again = source.load(7, 1, 2);
        assertThat(again.timelineIndex()).isEqualTo(9);
        assertThat(again.camera().orElseThrow().seq()).isEqualTo(9);
        assertThat(again.camera().orElseThrow().captureTimeNs())
                .isEqualTo(1_100_000_000L + 800_000_000L);
        assertThat(again.scans().get(0).timeNs()).isEqualTo(1_095_000_000L + 800_000_000L);

        LoadedFrame broken = source.load(7, 2, 0);
        assertThat(broken.camera()).isEmpty();
        assertThat(bad).containsExactly(BadInputReason.MALFORMED_RECORDING);
        assertThat(source.load(7, 3, 0).camera()).isPresent();
    }
}

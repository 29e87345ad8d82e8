package dev.fusionnode.velodyne;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusionnode.TestData;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.LidarScan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The decoder on real packets ({@code data/velodyne}): the 75 VLP-16 packets are one turn of 22,591
 * returns out to about 108.3 m; the HDL-32E packet gives the values its source lists; the nominal
 * beam tables equal the calibration databases; bad packets are refused whole.
 */
class VelodyneDecoderTest {
    static Path velodyne() {
        return TestData.velodyne();
    }

    static byte[] vlp16() throws Exception {
        return Files.readAllBytes(velodyne().resolve("vlp16-mrpt-75packets.bin"));
    }

    /** Collects what the decoder passes on. */
    static final class Collect implements VelodyneDecoder.PointSink {
        final List<float[]> points = new ArrayList<>();
        final List<Integer> azimuths = new ArrayList<>();
        final List<Double> times = new ArrayList<>();

        @Override
        public void firing(int azimuthCentiDeg, double timeUs) {
            azimuths.add(azimuthCentiDeg);
            times.add(timeUs);
        }

        @Override
        public void point(float x, float y, float z, float intensity) {
            points.add(new float[] {x, y, z, intensity});
        }
    }

    @Test
    void vlp16TurnFromRealPackets() throws Exception {
        byte[] file = vlp16();
        assertThat(file.length).isEqualTo(75 * VelodyneDecoder.PAYLOAD);
        VelodyneDecoder d = VelodyneDecoder.nominal();
        Collect c = new Collect();
        int returns = 0;
        for (int i = 0; i < 75; i++) {
            PacketInfo info = d.decode(file, i * 1206, 1206, c, "vlp16 #" + i);
            assertThat(info.model()).isEqualTo(VelodyneModel.VLP_16);
            assertThat(info.mode()).isEqualTo(ReturnMode.STRONGEST);
            returns += info.returns();
        }
        assertThat(returns).isEqualTo(22_591);
        assertThat(c.points).hasSize(22_591);
        // one turn: from 3.43 degrees round to 359.69, over the wrap to 0.09 and on to 0.89
        assertThat(c.azimuths).hasSize(900);
        assertThat(c.azimuths.get(0)).isEqualTo(343);
        assertThat(c.azimuths.get(896)).isEqualTo(35969);
        assertThat(c.azimuths.get(897)).isEqualTo(9);
        assertThat(c.azimuths.get(899)).isEqualTo(89);
        double max = 0;
        for (float[] p : c.points) {
            max = Math.max(max, Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]));
            assertThat(p[3]).isBetween(0f, 255f);
        }
        assertThat(max).isCloseTo(108.3, within(0.1));
        // firing times advance by the block period (110.592 us) within a packet
        assertThat(c.times.get(1) - c.times.get(0)).isCloseTo(110.592, within(1e-6));

        // through a stream cut at 2 degrees (where this turn starts): one scan when flushed
        VelodyneStream s =
                new VelodyneStream(
                        d, VelodyneClock.system(), "top", 2, VelodyneStream.StampAt.MIDDLE);
        for (int i = 0; i < 75; i++) {
            assertThat(s.data(file, i * 1206, 1206, "vlp16")).isEmpty();
        }
        LidarScan scan = s.flush("vlp16").orElseThrow();
        assertThat(scan.points().size()).isEqualTo(22_591);
        assertThat(scan.frameId()).isEqualTo(LidarScan.FRAME_LIDAR);
        // cut at the wrap (0): the scan ends after block 896, the last 3 blocks start the next
        VelodyneStream wrap =
                new VelodyneStream(
                        d, VelodyneClock.system(), "top", 0, VelodyneStream.StampAt.MIDDLE);
        List<LidarScan> cut = new ArrayList<>();
        for (int i = 0; i < 75; i++) {
            cut.addAll(wrap.data(file, i * 1206, 1206, "vlp16"));
        }
        assertThat(cut).hasSize(1);
        LidarScan next = wrap.flush("vlp16").orElseThrow();
        assertThat(next.points().size()).isBetween(1, 3 * 32);
        assertThat(cut.get(0).points().size() + next.points().size()).isEqualTo(22_591);
    }

    @Test
    void databaseGivesTheNominalVlp16Points() throws Exception {
        byte[] file = vlp16();
        VelodyneCalibration db = VelodyneCalibration.read(velodyne().resolve("VLP16db.json"));
        VelodyneDecoder withDb =
                new VelodyneDecoder(
                        Optional.of(VelodyneModel.VLP_16),
                        Optional.of(db),
                        VelodyneDecoder.Returns.BOTH,
                        0,
                        Double.POSITIVE_INFINITY);
        Collect a = new Collect();
        Collect b = new Collect();
        for (int i = 0; i < 75; i++) {
            withDb.decode(file, i * 1206, 1206, a, "db");
            VelodyneDecoder.nominal().decode(file, i * 1206, 1206, b, "nominal");
        }
        assertThat(a.points).hasSameSizeAs(b.points);
        for (int i = 0; i < a.points.size(); i += 97) {
            assertThat(a.points.get(i)).containsExactly(b.points.get(i), within(1e-4f));
        }
    }

    @Test
    void nominalTablesEqualTheDatabases() {
        for (var e :
                List.of(
                        new Object[] {VelodyneModel.VLP_16, "VLP16db.json", 0.002},
                        new Object[] {VelodyneModel.HDL_32E, "32db.json", 0.002},
                        new Object[] {VelodyneModel.VLP_32C, "VeloView-VLP-32C.json", 0.004})) {
            VelodyneModel m = (VelodyneModel) e[0];
            VelodyneCalibration db = VelodyneCalibration.read(velodyne().resolve((String) e[1]));
            VelodyneCalibration nominal = VelodyneCalibration.nominal(m);
            assertThat(db.distanceUnitM()).isEqualTo((double) e[2]);
            assertThat(nominal.distanceUnitM()).isEqualTo(db.distanceUnitM());
            assertThat(nominal.lasers()).hasSize(m.lasers()).hasSameSizeAs(db.lasers());
            for (int i = 0; i < m.lasers(); i++) {
                assertThat(nominal.lasers().get(i).vertCorrection())
                        .as("%s laser %d elevation", m, i)
                        .isCloseTo(db.lasers().get(i).vertCorrection(), within(1e-4));
                assertThat(nominal.lasers().get(i).rotCorrection())
                        .as("%s laser %d azimuth offset", m, i)
                        .isCloseTo(db.lasers().get(i).rotCorrection(), within(1e-4));
            }
        }
    }

    @Test
    void hdl32ePacketValues() throws Exception {
        byte[] p = Files.readAllBytes(velodyne().resolve("hdl32e-foxglove-packet1.bin"));
        Collect c = new Collect();
        PacketInfo info = VelodyneDecoder.nominal().decode(p, 0, p.length, c, "hdl32e");
        assertThat(info.model()).isEqualTo(VelodyneModel.HDL_32E);
        assertThat(info.mode()).isEqualTo(ReturnMode.STRONGEST);
        assertThat(info.timestampUs()).isEqualTo(757_034_951L);
        assertThat(info.firstAzimuth()).isEqualTo(22288);
        assertThat(c.azimuths).hasSize(12);

        // block 0, channel 0: distance 1230 x 2 mm, intensity 9, elevation -30.67 deg, 222.88 deg
        float[] p0 = c.points.get(0);
        assertThat(range(p0)).isCloseTo(2.460, within(1e-4));
        assertThat(p0[3]).isEqualTo(9f);
        assertThat(p0[2])
                .isCloseTo((float) (2.46 * Math.sin(Math.toRadians(-30.67))), within(1e-4f));
        double xy = 2.46 * Math.cos(Math.toRadians(-30.67));
        assertThat(p0[0]).isCloseTo((float) (xy * Math.cos(Math.toRadians(222.88))), within(1e-3f));
        assertThat(p0[1])
                .isCloseTo((float) (-xy * Math.sin(Math.toRadians(222.88))), within(1e-3f));
        // channel 1: 2537 x 2 mm, intensity 4, elevation -9.33 deg
        float[] p1 = c.points.get(1);
        assertThat(range(p1)).isCloseTo(5.074, within(1e-4));
        assertThat(p1[3]).isEqualTo(4f);
        assertThat(p1[2])
                .isCloseTo((float) (5.074 * Math.sin(Math.toRadians(-9.33))), within(1e-4f));
    }

    @Test
    void badPacketsAreRefusedWhole() throws Exception {
        byte[] good = Arrays.copyOf(vlp16(), 1206);
        record Case(byte[] packet, BadInputReason reason, String says) {}
        byte[] flag = good.clone();
        flag[5 * 100] = 0x12;
        byte[] product = good.clone();
        product[1205] = 0x63; // VLS-128: not decoded here
        byte[] mode = good.clone();
        mode[1204] = 0x10;
        byte[] azimuth = good.clone();
        azimuth[302] = (byte) 0xff;
        azimuth[303] = (byte) 0xff;
        for (Case k :
                List.of(
                        new Case(
                                Arrays.copyOf(good, 1000),
                                BadInputReason.MALFORMED_LIDAR_PACKET,
                                "1000 bytes"),
                        new Case(
                                Arrays.copyOf(good, 1300),
                                BadInputReason.MALFORMED_LIDAR_PACKET,
                                "1300 bytes"),
                        new Case(flag, BadInputReason.MALFORMED_LIDAR_PACKET, "block 5 has flag"),
                        new Case(product, BadInputReason.UNKNOWN_LIDAR_MODEL, "product id 0x63"),
                        new Case(mode, BadInputReason.MALFORMED_LIDAR_PACKET, "return mode 0x10"),
                        new Case(
                                azimuth,
                                BadInputReason.MALFORMED_LIDAR_PACKET,
                                "block 3 has azimuth 65535"))) {
            Collect c = new Collect();
            assertThatThrownBy(
                            () ->
                                    VelodyneDecoder.nominal()
                                            .decode(k.packet(), 0, k.packet().length, c, "udp #7"))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageContaining("udp #7")
                    .hasMessageContaining(k.says())
                    .extracting(e -> ((BadInputException) e).reason())
                    .isEqualTo(k.reason());
            assertThat(c.points).isEmpty();
            assertThat(c.azimuths).isEmpty();
        }
        // a configured model refuses another sensor's packets
        VelodyneDecoder vlp32 =
                new VelodyneDecoder(
                        Optional.of(VelodyneModel.VLP_32C),
                        Optional.empty(),
                        VelodyneDecoder.Returns.BOTH,
                        0,
                        Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> vlp32.decode(good, 0, 1206, new Collect(), "x"))
                .hasMessageContaining("configured for a VLP-32C");
    }

    @Test
    void outOfOrderAndRepeatedPacketsAreDropped() throws Exception {
        byte[] file = vlp16();
        VelodyneStream s =
                new VelodyneStream(
                        VelodyneDecoder.nominal(),
                        VelodyneClock.system(),
                        "top",
                        0,
                        VelodyneStream.StampAt.START);
        s.data(file, 1206, 1206, "#1");
        for (int i : new int[] {0, 1}) {
            assertThatThrownBy(() -> s.data(file, i * 1206, 1206, "#" + i))
                    .isInstanceOf(BadInputException.class)
                    .extracting(e -> ((BadInputException) e).reason())
                    .isEqualTo(BadInputReason.OUT_OF_ORDER_PACKET);
        }
        s.data(file, 2 * 1206, 1206, "#2");
        assertThat(s.packets()).isEqualTo(2);
    }

    @Test
    void scansAreCutAtTheConfiguredAngle() throws Exception {
        byte[] file = vlp16();
        VelodyneStream s =
                new VelodyneStream(
                        VelodyneDecoder.nominal(),
                        VelodyneClock.system(),
                        "top",
                        180,
                        VelodyneStream.StampAt.START);
        List<LidarScan> scans = new ArrayList<>();
        for (int i = 0; i < 75; i++) {
            scans.addAll(s.data(file, i * 1206, 1206, "vlp16"));
        }
        assertThat(scans).hasSize(1); // 3.4 to 180; 180 round to 0.9 waits for more
        LidarScan rest = s.flush("vlp16").orElseThrow();
        assertThat(scans.get(0).points().size() + rest.points().size()).isEqualTo(22_591);
        for (int i = 0; i < scans.get(0).points().size(); i += 50) {
            double az =
                    Math.toDegrees(
                            Math.atan2(-scans.get(0).points().y(i), scans.get(0).points().x(i)));
            assertThat(Math.floorMod((long) Math.floor(az), 360)).isLessThan(182);
        }
        assertThat(rest.timeNs()).isGreaterThan(scans.get(0).timeNs());
        assertThat(rest.seq()).isEqualTo(1);
    }

    private static double range(float[] p) {
        return Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
    }
}

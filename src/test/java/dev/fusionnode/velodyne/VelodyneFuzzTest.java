package dev.fusionnode.velodyne;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.LidarScan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing the packet path: 40,000 inputs (random bytes of random sizes, and real VLP-16 / HDL-32E
 * packets with a few bytes mutated, flags and ids kept valid or broken, truncated or extended)
 * through the stream, the position-packet parser and the file reader. Only {@link
 * BadInputException} may come out, every point is finite, and it all ends in time.
 */
class VelodyneFuzzTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void noExceptionEscapesAndNoHang() throws Exception {
        byte[] vlp16 = VelodyneDecoderTest.vlp16();
        byte[] hdl =
                Files.readAllBytes(
                        VelodyneDecoderTest.velodyne().resolve("hdl32e-foxglove-packet1.bin"));
        Random rnd = new Random(20261129);
        VelodyneStream[] streams = {
            stream(VelodyneDecoder.nominal(), 0),
            stream(
                    new VelodyneDecoder(
                            Optional.of(VelodyneModel.VLP_32C),
                            Optional.empty(),
                            VelodyneDecoder.Returns.STRONGEST,
                            0.5,
                            100),
                    180),
            stream(
                    new VelodyneDecoder(
                            Optional.empty(),
                            Optional.of(
                                    VelodyneCalibration.read(
                                            VelodyneDecoderTest.velodyne().resolve("32db.json"))),
                            VelodyneDecoder.Returns.LAST,
                            0,
                            Double.POSITIVE_INFINITY),
                    90)
        };
        long accepted = 0;
        long rejected = 0;
        long points = 0;
        for (int i = 0; i < 40_000; i++) {
            byte[] input = input(rnd, vlp16, hdl, i);
            VelodyneStream s = streams[i % streams.length];
            try {
                for (LidarScan scan : s.data(input, 0, input.length, "fuzz #" + i)) {
                    points += checkFinite(scan);
                }
                accepted++;
            } catch (BadInputException e) {
                assertThat(e.getMessage()).contains("fuzz #" + i);
                rejected++;
            }
            try {
                PositionPacket.parse(input, 0, input.length, "fuzz #" + i);
            } catch (BadInputException e) {
                rejected++;
            }
            try {
                PacketFile.of(input, Path.of("fuzz-" + i + ".bin"));
            } catch (BadInputException e) {
                rejected++;
            }
        }
        for (VelodyneStream s : streams) {
            s.flush("end").ifPresent(VelodyneFuzzTest::checkFinite);
        }
        assertThat(accepted)
                .as("mutated packets that keep their framing decode")
                .isGreaterThan(5_000);
        assertThat(rejected).isGreaterThan(5_000);
        assertThat(points).isPositive();
    }

    private static VelodyneStream stream(VelodyneDecoder d, double cut) {
        return new VelodyneStream(
                d, VelodyneClock.system(), "fuzz", cut, VelodyneStream.StampAt.END);
    }

    private static long checkFinite(LidarScan scan) {
        float[] a = scan.points().unsafeArray();
        for (int k = 0; k < scan.points().size() * 4; k++) {
            assertThat(Float.isFinite(a[k])).isTrue();
        }
        return scan.points().size();
    }

    /** A random input: mostly mutated real packets, some pure noise. */
    private static byte[] input(Random rnd, byte[] vlp16, byte[] hdl, int i) {
        int kind = rnd.nextInt(10);
        if (kind == 0) {
            byte[] b = new byte[rnd.nextInt(1400)];
            rnd.nextBytes(b);
            return b;
        }
        byte[] b;
        if (kind < 6) {
            int p = rnd.nextInt(75);
            b = Arrays.copyOfRange(vlp16, p * 1206, (p + 1) * 1206);
        } else {
            b = hdl.clone();
        }
        int mutations = rnd.nextInt(8);
        for (int m = 0; m < mutations; m++) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        // time moves on, sometimes back (out of order); a time stamp jumping ahead would age
        // everything after it, so they are set after the mutations
        int t = 1_000_000 + i * 400 - (rnd.nextInt(20) == 0 ? rnd.nextInt(1_000_000) : 0);
        b[1200] = (byte) t;
        b[1201] = (byte) (t >> 8);
        b[1202] = (byte) (t >> 16);
        b[1203] = (byte) (t >> 24);
        switch (rnd.nextInt(12)) {
            case 0 -> b[1204] = (byte) (0x37 + rnd.nextInt(3)); // dual mode sometimes
            case 1 ->
                    b[1205] = (byte) new int[] {0x21, 0x22, 0x24, 0x28, 0x00, 0x63}[rnd.nextInt(6)];
            case 2 -> b = Arrays.copyOf(b, rnd.nextInt(1300));
            case 3 -> {
                byte[] headers = new byte[1248];
                System.arraycopy(b, 0, headers, 42, 1206);
                b = headers;
            }
            default -> {}
        }
        return b;
    }
}

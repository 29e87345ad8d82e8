package dev.fusionnode.velodyne;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.pipeline.BadInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Time of Velodyne packets: a position packet's {@code $GPRMC} gives the date and hour (checksum
 * checked), microseconds past the hour land in the half-hour window around the reference, so that
 * packets just before and after the top of the hour get the right hour; without NMEA the host
 * clock's hour is used.
 */
class VelodyneClockTest {
    private static final String RMC =
            "$GPRMC,235959.50,A,5924.000,N,02443.000,E,0.0,0.0,281126,,,A";

    private static byte[] position(String sentence, long us, int pps) {
        ByteBuffer b = ByteBuffer.allocate(PositionPacket.PAYLOAD).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(198, (int) us);
        b.put(202, (byte) pps);
        byte[] s = (sentence + "\r\n").getBytes(StandardCharsets.US_ASCII);
        b.position(206);
        b.put(s);
        return b.array();
    }

    private static String withChecksum(String s) {
        int sum = 0;
        for (int i = 1; i < s.length(); i++) {
            sum ^= s.charAt(i);
        }
        return s + String.format("*%02X", sum);
    }

    @Test
    void nmeaSetsTheHourAcrossMidnight() {
        PositionPacket p =
                PositionPacket.parse(position(withChecksum(RMC), 3_599_500_000L, 2), 0, 512, "pos");
        assertThat(p.ppsStatus()).isEqualTo(2);
        assertThat(p.timestampUs()).isEqualTo(3_599_500_000L);
        long nmea = p.nmeaEpochNs().getAsLong();
        assertThat(Instant.ofEpochSecond(0, nmea))
                .isEqualTo(Instant.parse("2026-11-28T23:59:59.500Z"));

        AtomicLong host =
                new AtomicLong(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli() * 1_000_000L);
        VelodyneClock clock = new VelodyneClock(host::get, true);
        assertThat(clock.source()).isEqualTo("host");
        clock.nmea(nmea);
        assertThat(clock.source()).isEqualTo("gps");
        // 23:59:59.9 (before the top of the hour) and 00:00:00.2 of the next day
        assertThat(Instant.ofEpochSecond(0, clock.epochNs(3_599_900_000.0)))
                .isEqualTo(Instant.parse("2026-11-28T23:59:59.900Z"));
        host.addAndGet(700_000_000L); // 0.7 s later on the host
        assertThat(Instant.ofEpochSecond(0, clock.epochNs(200_000.0)))
                .isEqualTo(Instant.parse("2026-11-29T00:00:00.200Z"));

        VelodyneClock hostOnly = new VelodyneClock(host::get, false);
        hostOnly.nmea(nmea);
        assertThat(hostOnly.source()).isEqualTo("host");
        assertThat(Instant.ofEpochSecond(0, hostOnly.epochNs(1_000_000.0)))
                .isEqualTo(Instant.parse("2030-01-01T00:00:01Z"));
    }

    @Test
    void badPositionPackets() {
        assertThatThrownBy(() -> PositionPacket.parse(new byte[100], 0, 100, "pos #1"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("100 bytes");
        assertThatThrownBy(
                        () -> PositionPacket.parse(position(RMC + "*00", 0, 0), 0, 512, "pos #2"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("checksum");
        PositionPacket none = PositionPacket.parse(new byte[512], 0, 512, "pos #3");
        assertThat(none.nmea()).isEmpty();
        assertThat(none.nmeaEpochNs()).isEmpty();
    }
}

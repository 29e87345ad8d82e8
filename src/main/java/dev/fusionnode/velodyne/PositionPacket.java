package dev.fusionnode.velodyne;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Velodyne position (telemetry) packet, UDP port 8308: 512-byte payload (554 with headers) with
 * the sensor's microseconds past the hour, the PPS status and the GPS receiver's NMEA {@code
 * $GPRMC} sentence.
 *
 * @param timestampUs microseconds past the hour
 * @param ppsStatus 0 none, 1 synchronising, 2 locked, 3 error
 * @param nmea the sentence, if any
 * @param nmeaEpochNs the sentence's UTC date and time, when it is a valid fix with a date
 */
public record PositionPacket(
        long timestampUs, int ppsStatus, Optional<String> nmea, OptionalLong nmeaEpochNs) {
    /** UDP payload of a position packet. */
    public static final int PAYLOAD = 512;

    private static final int TIMESTAMP = 198;
    private static final int PPS = 202;
    private static final int NMEA = 206;

    /**
     * Parses a payload (or a 554-byte capture with headers).
     *
     * @throws BadInputException {@link BadInputReason#MALFORMED_LIDAR_PACKET} for a wrong size or a
     *     sentence with a wrong checksum
     */
    public static PositionPacket parse(byte[] buf, int offset, int length, String source) {
        if (length == PAYLOAD + VelodyneDecoder.HEADERS) {
            offset += VelodyneDecoder.HEADERS;
            length = PAYLOAD;
        }
        if (length != PAYLOAD || offset < 0 || offset + length > buf.length) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_LIDAR_PACKET,
                    source,
                    "is "
                            + length
                            + " bytes; a Velodyne position packet is "
                            + PAYLOAD
                            + " (or "
                            + (PAYLOAD + VelodyneDecoder.HEADERS)
                            + " with its headers)");
        }
        long ts = VelodyneDecoder.u32(buf, offset + TIMESTAMP);
        int pps = buf[offset + PPS] & 0xFF;
        int end = offset + NMEA;
        int limit = offset + PAYLOAD;
        while (end < limit && buf[end] != 0 && buf[end] != '\r' && buf[end] != '\n') {
            end++;
        }
        String sentence =
                new String(buf, offset + NMEA, end - offset - NMEA, StandardCharsets.US_ASCII);
        if (sentence.isEmpty()) {
            return new PositionPacket(ts, pps, Optional.empty(), OptionalLong.empty());
        }
        checkChecksum(sentence, source);
        return new PositionPacket(ts, pps, Optional.of(sentence), rmcTime(sentence));
    }

    private static void checkChecksum(String s, String source) {
        int star = s.lastIndexOf('*');
        if (!s.startsWith("$") || star < 0) {
            return; // no checksum to check
        }
        int sum = 0;
        for (int i = 1; i < star; i++) {
            sum ^= s.charAt(i);
        }
        String given = s.substring(star + 1).strip();
        if (given.length() < 2
                || !given.substring(0, 2).equalsIgnoreCase(String.format("%02X", sum))) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_LIDAR_PACKET,
                    source,
                    "has an NMEA sentence whose checksum '"
                            + given
                            + "' is not "
                            + String.format("%02X", sum)
                            + ": "
                            + s);
        }
    }

    /** UTC time of a {@code $GPRMC}/{@code $GNRMC} sentence with a date, if it parses. */
    static OptionalLong rmcTime(String s) {
        String body = s.indexOf('*') >= 0 ? s.substring(0, s.indexOf('*')) : s;
        String[] f = body.split(",", -1);
        if (f.length < 10 || !f[0].endsWith("RMC") || f[1].length() < 6 || f[9].length() != 6) {
            return OptionalLong.empty();
        }
        try {
            int hh = Integer.parseInt(f[1].substring(0, 2));
            int mm = Integer.parseInt(f[1].substring(2, 4));
            double ss = Double.parseDouble(f[1].substring(4));
            int day = Integer.parseInt(f[9].substring(0, 2));
            int month = Integer.parseInt(f[9].substring(2, 4));
            int year = 2000 + Integer.parseInt(f[9].substring(4, 6));
            long seconds =
                    LocalDate.of(year, month, day)
                            .atTime(LocalTime.of(hh, mm, (int) ss))
                            .toEpochSecond(ZoneOffset.UTC);
            return OptionalLong.of(
                    seconds * 1_000_000_000L + Math.round((ss - Math.floor(ss)) * 1e9));
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}

package dev.fusionnode.velodyne;

import java.util.function.LongSupplier;

/**
 * Turns the packets' microseconds past the hour into epoch time: the hour comes from the last NMEA
 * time of a position packet (advanced by the host time since it arrived) or, without one, from the
 * host clock; the result is the time within half an hour of that reference, so that packets just
 * before or after the top of the hour land in the right hour. Thread-safe.
 */
public final class VelodyneClock {
    private static final long HOUR_NS = 3_600_000_000_000L;

    private final LongSupplier hostNowNs;
    private final boolean useNmea;
    private long nmeaNs = Long.MIN_VALUE;
    private long nmeaAtHostNs;

    /**
     * @param hostNowNs the host clock, epoch nanoseconds
     * @param useNmea false to ignore position packets (host hour only)
     */
    public VelodyneClock(LongSupplier hostNowNs, boolean useNmea) {
        this.hostNowNs = hostNowNs;
        this.useNmea = useNmea;
    }

    /** The system clock, taking the hour from NMEA when position packets give it. */
    public static VelodyneClock system() {
        return new VelodyneClock(() -> System.currentTimeMillis() * 1_000_000L, true);
    }

    /** Takes the time of a position packet's NMEA sentence (epoch nanoseconds). */
    public synchronized void nmea(long epochNs) {
        if (useNmea) {
            nmeaNs = epochNs;
            nmeaAtHostNs = hostNowNs.getAsLong();
        }
    }

    /** {@code gps} once an NMEA time was taken, else {@code host}. */
    public synchronized String source() {
        return nmeaNs == Long.MIN_VALUE ? "host" : "gps";
    }

    /** Epoch nanoseconds of a time given in microseconds past the hour. */
    public synchronized long epochNs(double usPastHour) {
        long host = hostNowNs.getAsLong();
        long reference = nmeaNs == Long.MIN_VALUE ? host : nmeaNs + (host - nmeaAtHostNs);
        long t = Math.floorDiv(reference, HOUR_NS) * HOUR_NS + Math.round(usPastHour * 1000);
        if (t - reference > HOUR_NS / 2) {
            t -= HOUR_NS;
        } else if (reference - t > HOUR_NS / 2) {
            t += HOUR_NS;
        }
        return t;
    }
}

package dev.fusionnode.velodyne;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One sensor's packets in, scans out: drops packets older than the last one (out of order or
 * repeated), decodes the rest, cuts scans and stamps them from the packet times. Not thread-safe.
 */
public final class VelodyneStream {
    private static final double HOUR_US = 3_600_000_000.0;

    /** Which moment of a scan its time stamp names. */
    public enum StampAt {
        /** The first firing. */
        START,
        /** Halfway between the first and the last firing. */
        MIDDLE,
        /** The last firing. */
        END;
    }

    private final VelodyneDecoder decoder;
    private final VelodyneClock clock;
    private final String sensorId;
    private final StampAt stampAt;
    private final ScanAssembler assembler;
    private long lastTimestamp = -1;
    private long seq;
    private long packets;
    private long returns;
    private Optional<PacketInfo> last = Optional.empty();
    private Optional<PositionPacket> lastPosition = Optional.empty();

    /**
     * @param cutAngleDeg azimuth where scans end (0: the wrap)
     */
    public VelodyneStream(
            VelodyneDecoder decoder,
            VelodyneClock clock,
            String sensorId,
            double cutAngleDeg,
            StampAt stampAt) {
        this.decoder = decoder;
        this.clock = clock;
        this.sensorId = sensorId;
        this.stampAt = stampAt;
        this.assembler = new ScanAssembler(cutAngleDeg);
    }

    /**
     * Takes one data packet.
     *
     * @return the scans it completed (usually none, one per turn)
     * @throws BadInputException for a bad packet ({@link BadInputReason#OUT_OF_ORDER_PACKET} for
     *     one older than the last); the stream is unchanged
     */
    public List<LidarScan> data(byte[] buf, int offset, int length, String source) {
        VelodyneDecoder.Header h = decoder.check(buf, offset, length, source);
        long ts = h.timestampUs();
        if (lastTimestamp >= 0 && ahead(ts) <= 0) {
            throw new BadInputException(
                    BadInputReason.OUT_OF_ORDER_PACKET,
                    source,
                    "has time "
                            + ts
                            + " us past the hour, not after the last packet's "
                            + lastTimestamp
                            + " (dropped)");
        }
        PacketInfo info = decoder.decode(buf, offset, length, assembler, source);
        lastTimestamp = info.timestampUs();
        last = Optional.of(info);
        packets++;
        returns += info.returns();
        List<LidarScan> out = new ArrayList<>();
        for (ScanAssembler.Scan s : assembler.completed()) {
            out.add(scan(s, source));
        }
        return out;
    }

    /** Takes one position packet (its NMEA time sets the hour). */
    public PositionPacket position(byte[] buf, int offset, int length, String source) {
        PositionPacket p = PositionPacket.parse(buf, offset, length, source);
        p.nmeaEpochNs().ifPresent(clock::nmea);
        lastPosition = Optional.of(p);
        return p;
    }

    /** Ends the scan in progress (no packets for a while, or the end of a file). */
    public Optional<LidarScan> flush(String source) {
        return assembler.flush().map(s -> scan(s, source));
    }

    /** True when points wait for the end of their turn. */
    public boolean pending() {
        return assembler.pending();
    }

    /** Data packets decoded. */
    public long packets() {
        return packets;
    }

    /** Non-zero returns decoded. */
    public long returns() {
        return returns;
    }

    /** The last decoded packet. */
    public Optional<PacketInfo> lastPacket() {
        return last;
    }

    /** The last position packet. */
    public Optional<PositionPacket> lastPosition() {
        return lastPosition;
    }

    /** Where the hour comes from: {@code gps} or {@code host}. */
    public String clockSource() {
        return clock.source();
    }

    /** Microseconds from the last packet to {@code ts}, across the hour: in (-30 min, 30 min]. */
    private double ahead(long ts) {
        double d = ts - lastTimestamp;
        if (d > HOUR_US / 2) {
            d -= HOUR_US;
        } else if (d <= -HOUR_US / 2) {
            d += HOUR_US;
        }
        return d;
    }

    private LidarScan scan(ScanAssembler.Scan s, String source) {
        double last = s.lastUs() < s.firstUs() ? s.lastUs() + HOUR_US : s.lastUs();
        double at =
                switch (stampAt) {
                    case START -> s.firstUs();
                    case MIDDLE -> (s.firstUs() + last) / 2;
                    case END -> last;
                };
        if (at >= HOUR_US) {
            at -= HOUR_US;
        }
        return LidarScan.of(sensorId, seq++, clock.epochNs(at), new PointCloud(s.xyzi()), source);
    }
}

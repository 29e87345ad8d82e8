package dev.fusionnode.velodyne;

import dev.fusionnode.config.BindAddresses;
import dev.fusionnode.config.ConfigReader;
import dev.fusionnode.config.EnumNames;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A live Velodyne LiDAR on UDP (the {@code velodyne} block; off unless {@code enabled}).
 *
 * @param enabled listen for packets
 * @param sensorId the LiDAR's name in scans, sync offsets and status
 * @param host bind address; loopback unless configured otherwise (the sensor's network needs the
 *     interface address or {@code 0.0.0.0})
 * @param port data packets (2368)
 * @param positionPort position packets with the NMEA time (8308; 0 to not listen)
 * @param model the sensor when its packets do not say (firmware before 3.0.29 writes 0); empty to
 *     take each packet's product id
 * @param calibration the sensor's calibration database (JSON); empty for the nominal angles
 * @param returns which returns of dual-return packets to keep
 * @param cutAngleDeg azimuth where one scan ends and the next begins (0: the wrap)
 * @param stampAt which moment of the turn a scan's time names
 * @param minRangeM closer returns are dropped
 * @param maxRangeM farther returns are dropped
 * @param useGpsTime take the hour from the position packets' NMEA time when they come (else the
 *     host clock's)
 * @param flushAfterMs a turn in progress is sent when no packet came for this long
 * @param receiveBufferBytes the socket's receive buffer (a turn of a VLP-32C is about 180 KB)
 */
public record VelodyneOptions(
        boolean enabled,
        String sensorId,
        String host,
        int port,
        int positionPort,
        Optional<VelodyneModel> model,
        Optional<Path> calibration,
        VelodyneDecoder.Returns returns,
        double cutAngleDeg,
        VelodyneStream.StampAt stampAt,
        double minRangeM,
        double maxRangeM,
        boolean useGpsTime,
        long flushAfterMs,
        int receiveBufferBytes) {
    /** Velodyne's data port. */
    public static final int DATA_PORT = 2368;

    /** Velodyne's position port. */
    public static final int POSITION_PORT = 8308;

    /** Reads the {@code velodyne} block. */
    public static VelodyneOptions from(ConfigReader r) {
        String model = r.string("model", "auto");
        String calib = r.string("calibration", null);
        VelodyneOptions o =
                new VelodyneOptions(
                        r.bool("enabled", false),
                        r.string("sensorId", "top"),
                        r.string("host", BindAddresses.DEFAULT_HOST),
                        r.integer("port", DATA_PORT, 0, 65535),
                        r.integer("positionPort", POSITION_PORT, 0, 65535),
                        model.equals("auto")
                                ? Optional.empty()
                                : Optional.of(r.parsed("model", null, VelodyneModel::parse)),
                        Optional.ofNullable(calib).map(Path::of),
                        r.parsed(
                                "returns",
                                VelodyneDecoder.Returns.BOTH,
                                v -> EnumNames.parse(VelodyneDecoder.Returns.class, v)),
                        r.number("cutAngleDeg", 0, 0, 360),
                        r.parsed(
                                "stampAt",
                                VelodyneStream.StampAt.MIDDLE,
                                v -> EnumNames.parse(VelodyneStream.StampAt.class, v)),
                        r.number("minRangeM", 0, 0, 1000),
                        r.number("maxRangeM", 300, 0, 10_000),
                        r.bool("useGpsTime", true),
                        r.longValue("flushAfterMs", 200, 1, 60_000),
                        r.integer("receiveBufferBytes", 4 * 1024 * 1024, 64 * 1024, 1 << 28));
        if (o.minRangeM() >= o.maxRangeM()) {
            throw r.invalid("minRangeM", "must be below maxRangeM (" + o.maxRangeM() + ")");
        }
        r.rejectUnknownKeys();
        return o;
    }

    /** The decoder these options describe (reads the calibration file). */
    public VelodyneDecoder decoder() {
        return new VelodyneDecoder(
                model, calibration.map(VelodyneCalibration::read), returns, minRangeM, maxRangeM);
    }
}

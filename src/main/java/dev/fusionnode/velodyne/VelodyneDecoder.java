package dev.fusionnode.velodyne;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes Velodyne data packets (1206-byte UDP payloads, or 1248-byte captures with their 42 bytes
 * of Ethernet/IP/UDP headers) into points in the sensor frame (x forward, y left, z up, metres) and
 * the calibrated reflectivity (0-255).
 *
 * <p>Per point: the block azimuth interpolated to the laser's firing time (the next firing's
 * azimuth gives the rate; the last firing of a packet uses the previous step), minus the laser's
 * azimuth offset; distance = raw x unit + offset; the ROS/VeloView correction model (elevation,
 * vertical and horizontal origin offsets, two-point distance correction, focal intensity
 * correction). A packet is checked whole (size, every block flag, azimuths, return mode, product
 * id) before any point is passed on, so a bad packet contributes nothing. Not thread-safe: one
 * decoder per stream.
 */
public final class VelodyneDecoder {
    /** UDP payload of a data packet. */
    public static final int PAYLOAD = 1206;

    /** Ethernet + IP + UDP headers in front of a payload in a capture. */
    public static final int HEADERS = 42;

    /** Blocks per packet. */
    public static final int BLOCKS = 12;

    private static final int BLOCK_BYTES = 100;
    private static final int POINTS_PER_BLOCK = 32;
    private static final int FLAG = 0xEEFF; // bytes FF EE, little-endian
    private static final double[] COS = new double[36000];
    private static final double[] SIN = new double[36000];

    static {
        for (int i = 0; i < 36000; i++) {
            COS[i] = Math.cos(Math.toRadians(i / 100.0));
            SIN[i] = Math.sin(Math.toRadians(i / 100.0));
        }
    }

    /** Which returns of dual-return packets to keep. */
    public enum Returns {
        /** Both (a second return identical to the first is dropped). */
        BOTH,
        /** The odd blocks (strongest, or second strongest when it is also the last). */
        STRONGEST,
        /** The even blocks. */
        LAST;
    }

    /** Receives a packet's firings and points, in firing order. */
    @FunctionalInterface
    public interface PointSink {
        /** Takes nothing (packet summaries that only count). */
        PointSink NONE = (x, y, z, intensity) -> {};

        /**
         * A firing group starts (one block, or one block pair in dual mode); nothing by default.
         *
         * @param azimuthCentiDeg the block's azimuth, hundredths of a degree
         * @param timeUs its firing time, microseconds past the hour
         */
        default void firing(int azimuthCentiDeg, double timeUs) {}

        /** One point of the current firing. */
        void point(float x, float y, float z, float intensity);
    }

    private final Optional<VelodyneModel> forcedModel;
    private final Optional<VelodyneCalibration> calibration;
    private final Returns returns;
    private final double minRangeM;
    private final double maxRangeM;
    private final Map<VelodyneModel, Tables> tables = new EnumMap<>(VelodyneModel.class);
    private final int[] azimuths = new int[BLOCKS];

    /**
     * @param model the sensor model when packets do not name it (old firmware writes 0); empty to
     *     take it from each packet
     * @param calibration the sensor's database; empty for the model's nominal angles
     * @param returns which returns of dual packets to keep
     * @param minRangeM closer points are dropped (the sensor's housing, the vehicle)
     * @param maxRangeM farther points are dropped
     */
    public VelodyneDecoder(
            Optional<VelodyneModel> model,
            Optional<VelodyneCalibration> calibration,
            Returns returns,
            double minRangeM,
            double maxRangeM) {
        this.forcedModel = model;
        this.calibration = calibration;
        this.returns = returns;
        this.minRangeM = minRangeM;
        this.maxRangeM = maxRangeM;
    }

    /**
     * A decoder taking the model from each packet, with nominal angles, both returns, no limits.
     */
    public static VelodyneDecoder nominal() {
        return new VelodyneDecoder(
                Optional.empty(), Optional.empty(), Returns.BOTH, 0, Double.POSITIVE_INFINITY);
    }

    /**
     * Checks and decodes one packet.
     *
     * @param source names the packet in errors (e.g. {@code udp 127.0.0.1:2368 #51})
     * @throws BadInputException {@link BadInputReason#MALFORMED_LIDAR_PACKET} or {@link
     *     BadInputReason#UNKNOWN_LIDAR_MODEL}; nothing was passed to {@code sink}
     */
    public PacketInfo decode(byte[] buf, int offset, int length, PointSink sink, String source) {
        Header h = check(buf, offset, length, source);
        return body(buf, h, sink, source);
    }

    /**
     * What {@link #check} found in a packet's framing.
     *
     * @param payload offset of the 1206-byte payload
     * @param model the sensor
     * @param mode the return mode
     * @param timestampUs microseconds past the hour
     */
    public record Header(int payload, VelodyneModel model, ReturnMode mode, long timestampUs) {}

    /**
     * Checks a packet's size, block flags, azimuths, return mode and product id without decoding
     * its points (the block azimuths are kept for the {@code decode} that follows).
     *
     * @throws BadInputException as {@link #decode}
     */
    public Header check(byte[] buf, int offset, int length, String source) {
        if (length == PAYLOAD + HEADERS) {
            offset += HEADERS;
            length = PAYLOAD;
        }
        if (length != PAYLOAD || offset < 0 || offset + length > buf.length) {
            throw bad(
                    source,
                    "is "
                            + length
                            + " bytes; a Velodyne data packet is "
                            + PAYLOAD
                            + " (or "
                            + (PAYLOAD + HEADERS)
                            + " with its headers)");
        }
        int modeByte = buf[offset + 1204] & 0xFF;
        int productByte = buf[offset + 1205] & 0xFF;
        ReturnMode mode =
                ReturnMode.ofCode(modeByte)
                        .orElseThrow(
                                () ->
                                        bad(
                                                source,
                                                String.format(
                                                        Locale.ROOT,
                                                        "has return mode 0x%02x; known: 0x37"
                                                                + " strongest, 0x38 last, 0x39"
                                                                + " dual",
                                                        modeByte)));
        VelodyneModel model = model(productByte, source);
        for (int b = 0; b < BLOCKS; b++) {
            int at = offset + b * BLOCK_BYTES;
            int flag = u16(buf, at);
            if (flag != FLAG) {
                throw bad(
                        source,
                        String.format(
                                Locale.ROOT,
                                "block %d has flag 0x%04x, not 0xeeff (upper-block flags of the"
                                        + " HDL-64 are not decoded here)",
                                b,
                                flag));
            }
            azimuths[b] = u16(buf, at + 2);
            if (azimuths[b] >= 36000) {
                throw bad(
                        source,
                        "block " + b + " has azimuth " + azimuths[b] + " (hundredths of a degree)");
            }
        }
        return new Header(offset, model, mode, timestampUs(buf, offset));
    }

    private PacketInfo body(byte[] buf, Header h, PointSink sink, String source) {
        VelodyneModel model = h.model();
        ReturnMode mode = h.mode();
        int offset = h.payload();
        long timestamp = h.timestampUs();
        for (int b = 0; b < BLOCKS; b++) {
            azimuths[b] = u16(buf, offset + b * BLOCK_BYTES + 2);
        }
        Tables t = tables.computeIfAbsent(model, m -> tables(m, source));
        boolean dual = mode == ReturnMode.DUAL;
        int stride = dual ? 2 : 1;
        int groups = BLOCKS / stride;
        double groupUs = model.blockUs();
        int returnsSeen = 0;
        int kept = 0;
        for (int g = 0; g < groups; g++) {
            int block0 = g * stride;
            int azimuth = azimuths[block0];
            int next = g + 1 < groups ? azimuths[block0 + stride] : azimuth;
            int step;
            if (g + 1 < groups) {
                step = Math.floorMod(next - azimuth, 36000);
            } else if (groups > 1) {
                step = Math.floorMod(azimuth - azimuths[block0 - stride], 36000);
            } else {
                step = 0;
            }
            if (step > 2000) {
                step = 0; // not a rotation step (a jump): no interpolation
            }
            double groupTime = timestamp + g * groupUs;
            sink.firing(azimuth, groupTime);
            for (int r = 0; r < stride; r++) {
                int block = block0 + r;
                boolean second = r == 1;
                if (dual
                        && ((second && returns == Returns.LAST)
                                || (!second && returns == Returns.STRONGEST))) {
                    continue;
                }
                int at = offset + block * BLOCK_BYTES + 4;
                for (int k = 0; k < POINTS_PER_BLOCK; k++) {
                    int p = at + k * 3;
                    int raw = u16(buf, p);
                    if (raw == 0) {
                        continue;
                    }
                    int reflectivity = buf[p + 2] & 0xFF;
                    returnsSeen++;
                    if (second
                            && returns == Returns.BOTH
                            && u16(buf, p - BLOCK_BYTES) == raw
                            && (buf[p - BLOCK_BYTES + 2] & 0xFF) == reflectivity) {
                        continue; // the last return is also the strongest: once is enough
                    }
                    int sequence = k / model.lasers();
                    int laser = k % model.lasers();
                    double offsetUs = model.timeOffsetUs(sequence, laser);
                    double az = azimuth + step * (offsetUs / groupUs);
                    if (point(t, laser, raw, reflectivity, az, sink)) {
                        kept++;
                    }
                }
            }
        }
        return new PacketInfo(
                model, mode, timestamp, azimuths[0], azimuths[BLOCKS - 1], returnsSeen, kept);
    }

    /** The corrected point of one return; false when out of the range limits. */
    private boolean point(
            Tables t, int laser, int raw, int reflectivity, double azimuthCenti, PointSink sink) {
        LaserCorrection c = t.lasers[laser];
        double distance = raw * t.unit + c.distCorrection();
        if (distance < minRangeM || distance > maxRangeM) {
            return false;
        }
        int a = (int) Math.round(azimuthCenti);
        a = a >= 36000 ? a - 36000 : a;
        // angle = azimuth - rot_correction
        double cosRot = COS[a] * t.cosRot[laser] + SIN[a] * t.sinRot[laser];
        double sinRot = SIN[a] * t.cosRot[laser] - COS[a] * t.sinRot[laser];
        double cosVert = t.cosVert[laser];
        double sinVert = t.sinVert[laser];
        double vOff = c.vertOffset();
        double hOff = c.horizOffset();
        double dx = distance;
        double dy = distance;
        if (c.twoPoint()) {
            double xy = distance * cosVert - vOff * sinVert;
            double xx = Math.abs(xy * sinRot - hOff * cosRot);
            double yy = Math.abs(xy * cosRot + hOff * sinRot);
            double corrX =
                    (c.distCorrection() - c.distCorrectionX()) * (xx - 2.4) / (25.04 - 2.4)
                            + c.distCorrectionX()
                            - c.distCorrection();
            double corrY =
                    (c.distCorrection() - c.distCorrectionY()) * (yy - 1.93) / (25.04 - 1.93)
                            + c.distCorrectionY()
                            - c.distCorrection();
            dx += corrX;
            dy += corrY;
        }
        double xyX = dx * cosVert - vOff * sinVert;
        double rosX = xyX * sinRot - hOff * cosRot; // to the right of the sensor
        double xyY = dy * cosVert - vOff * sinVert;
        double rosY = xyY * cosRot + hOff * sinRot; // forward
        double z = dy * sinVert + vOff * cosVert;
        double intensity = reflectivity;
        if (c.focalDistance() != 0 || c.focalSlope() != 0) {
            double focal = 1 - c.focalDistance() / 13100;
            double r = 1 - raw / 65535.0;
            intensity += c.focalSlope() * Math.abs(256 * focal * focal - 256 * r * r);
            intensity = Math.max(0, Math.min(255, intensity));
        }
        sink.point((float) rosY, (float) -rosX, (float) z, (float) intensity);
        return true;
    }

    private VelodyneModel model(int productByte, String source) {
        Optional<VelodyneModel> named = VelodyneModel.ofProductId(productByte);
        if (forcedModel.isPresent()) {
            if (named.isPresent() && named.get() != forcedModel.get()) {
                throw new BadInputException(
                        BadInputReason.UNKNOWN_LIDAR_MODEL,
                        source,
                        "comes from a "
                                + named.get()
                                + " but the source is configured for a "
                                + forcedModel.get());
            }
            return forcedModel.get();
        }
        return named.orElseThrow(
                () ->
                        new BadInputException(
                                BadInputReason.UNKNOWN_LIDAR_MODEL,
                                source,
                                String.format(
                                        Locale.ROOT,
                                        "has product id 0x%02x; decoded: 0x21 HDL-32E, 0x22"
                                                + " VLP-16, 0x24 Puck Hi-Res, 0x28 VLP-32C (set"
                                                + " velodyne.model for firmware that writes 0)",
                                        productByte)));
    }

    private Tables tables(VelodyneModel model, String source) {
        VelodyneCalibration cal = calibration.orElseGet(() -> VelodyneCalibration.nominal(model));
        if (cal.lasers().size() < model.lasers()) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_CALIBRATION,
                    source,
                    "comes from a "
                            + model
                            + " ("
                            + model.lasers()
                            + " lasers) but the calibration "
                            + cal.source()
                            + " has "
                            + cal.lasers().size());
        }
        return new Tables(cal);
    }

    private BadInputException bad(String source, String problem) {
        return new BadInputException(BadInputReason.MALFORMED_LIDAR_PACKET, source, problem);
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    /** The time stamp (microseconds past the hour) of the payload at {@code payload}, unchecked. */
    public static long timestampUs(byte[] buf, int payload) {
        return u32(buf, payload + 1200);
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL)
                | (b[at + 1] & 0xFFL) << 8
                | (b[at + 2] & 0xFFL) << 16
                | (b[at + 3] & 0xFFL) << 24;
    }

    /** Per-laser trigonometry of one calibration. */
    private static final class Tables {
        final LaserCorrection[] lasers;
        final double unit;
        final double[] cosVert;
        final double[] sinVert;
        final double[] cosRot;
        final double[] sinRot;

        Tables(VelodyneCalibration cal) {
            lasers = cal.lasers().toArray(LaserCorrection[]::new);
            unit = cal.distanceUnitM();
            int n = lasers.length;
            cosVert = new double[n];
            sinVert = new double[n];
            cosRot = new double[n];
            sinRot = new double[n];
            for (int i = 0; i < n; i++) {
                cosVert[i] = Math.cos(lasers[i].vertCorrection());
                sinVert[i] = Math.sin(lasers[i].vertCorrection());
                cosRot[i] = Math.cos(lasers[i].rotCorrection());
                sinRot[i] = Math.sin(lasers[i].rotCorrection());
            }
        }
    }
}

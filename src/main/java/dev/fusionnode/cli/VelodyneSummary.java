package dev.fusionnode.cli;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.velodyne.PacketFile;
import dev.fusionnode.velodyne.PacketInfo;
import dev.fusionnode.velodyne.VelodyneDecoder;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a packet file holds, for {@code inspect}: sensor models, return modes, packet and return
 * counts, azimuth and time span, bad packets.
 */
record VelodyneSummary(
        int packets,
        int bad,
        String firstError,
        Map<String, Integer> models,
        Map<String, Integer> modes,
        long returns,
        int firstAzimuth,
        int lastAzimuth,
        long firstUs,
        long lastUs,
        int packetSize) {

    static VelodyneSummary of(PacketFile f) {
        VelodyneDecoder d = VelodyneDecoder.nominal();
        VelodyneDecoder.PointSink none = VelodyneDecoder.PointSink.NONE;
        Map<String, Integer> models = new TreeMap<>();
        Map<String, Integer> modes = new TreeMap<>();
        int bad = 0;
        String firstError = "";
        long returns = 0;
        PacketInfo first = null;
        PacketInfo last = null;
        for (int i = 0; i < f.packets(); i++) {
            try {
                PacketInfo p =
                        d.decode(f.bytes(), f.offset(i), f.packetSize(), none, "packet " + i);
                models.merge(
                        String.format(Locale.ROOT, "%s (0x%02x)", p.model(), p.model().productId()),
                        1,
                        Integer::sum);
                modes.merge(p.mode().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
                returns += p.returns();
                first = first == null ? p : first;
                last = p;
            } catch (BadInputException e) {
                if (bad++ == 0) {
                    firstError = e.getMessage();
                }
            }
        }
        return new VelodyneSummary(
                f.packets(),
                bad,
                firstError,
                models,
                modes,
                returns,
                first == null ? 0 : first.firstAzimuth(),
                last == null ? 0 : last.lastAzimuth(),
                first == null ? 0 : first.timestampUs(),
                last == null ? 0 : last.timestampUs(),
                f.packetSize());
    }

    @Override
    public String toString() {
        double spanMs = (lastUs - firstUs) / 1000.0;
        return String.format(
                Locale.ROOT,
                "Velodyne data packets, %d x %d bytes: %s, %s return; %d returns; block azimuth"
                        + " %.2f to %.2f deg; time %.6f to %.6f s past the hour (%.1f ms, %.0f"
                        + " packets/s)%s",
                packets,
                packetSize,
                models.isEmpty() ? "no decodable packet" : models,
                modes,
                returns,
                firstAzimuth / 100.0,
                lastAzimuth / 100.0,
                firstUs / 1e6,
                lastUs / 1e6,
                spanMs,
                spanMs > 0 ? (packets - bad - 1) / (spanMs / 1000) : 0.0,
                bad == 0 ? "" : "; " + bad + " bad packets, first: " + firstError);
    }
}

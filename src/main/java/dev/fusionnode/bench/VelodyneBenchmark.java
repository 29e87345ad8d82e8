package dev.fusionnode.bench;

import dev.fusionnode.velodyne.PacketFile;
import dev.fusionnode.velodyne.VelodyneClock;
import dev.fusionnode.velodyne.VelodyneDecoder;
import dev.fusionnode.velodyne.VelodyneStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node benchmark velodyne}: packets decoded per second on one thread (decode, scan
 * cutting and stamping, as the live source does), against the sensors' real-time packet rates.
 */
@Command(
        name = "velodyne",
        mixinStandardHelpOptions = true,
        description = {
            "Time decoding Velodyne packets on one thread and print packets per second.",
            "Decoding, cutting scans and stamping are timed together; a VLP-32C sends 1,507"
                    + " packets/s (3,014 in dual-return mode)."
        })
final class VelodyneBenchmark implements Callable<Integer> {
    @Option(
            names = "--file",
            defaultValue = "data/velodyne/vlp16-mrpt-75packets.bin",
            description = "Packet file (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(
            names = "--seconds",
            defaultValue = "5",
            description = "Measured time per run (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--runs", defaultValue = "3", description = "Runs (default: ${DEFAULT-VALUE}).")
    int runs;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        PacketFile f = PacketFile.read(file);
        byte[] bytes = f.bytes().clone();
        int n = f.packets();
        System.out.printf(
                Locale.ROOT,
                "%s: %d packets of %d bytes, one thread; warm-up %.0f s%n",
                file,
                n,
                f.packetSize(),
                seconds);
        measure(bytes, f, seconds); // warm-up
        for (int r = 0; r < runs; r++) {
            double[] res = measure(bytes, f, seconds);
            System.out.printf(
                    Locale.ROOT,
                    "run %d: %.0f packets/s (%.2f us/packet, %.1f M points/s): %.1fx a VLP-32C's"
                            + " 1,507 packets/s%n",
                    r + 1,
                    res[0],
                    1e6 / res[0],
                    res[1] / 1e6,
                    res[0] / 1507);
        }
        return 0;
    }

    /** Packets/s and points/s for {@code secs} seconds of decoding the file over and over. */
    private static double[] measure(byte[] bytes, PacketFile f, double secs) {
        VelodyneStream stream =
                new VelodyneStream(
                        VelodyneDecoder.nominal(),
                        VelodyneClock.system(),
                        "bench",
                        0,
                        VelodyneStream.StampAt.MIDDLE);
        int n = f.packets();
        long packets = 0;
        long points = 0;
        long start = System.nanoTime();
        long end = start + (long) (secs * 1e9);
        int hourStep = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < n; i++) {
                // advance the time stamp so that every packet is newer than the last
                int payload = f.offset(i) + (f.packetSize() - VelodyneDecoder.PAYLOAD);
                int ts = payload + 1200;
                long t = (VelodyneDecoder.timestampUs(bytes, payload) + 100_000L) % 3_600_000_000L;
                put(bytes, ts, t);
                for (var s : stream.data(bytes, f.offset(i), f.packetSize(), "bench")) {
                    points += s.points().size();
                }
                packets++;
            }
            hourStep++;
        }
        double s = (System.nanoTime() - start) / 1e9;
        return new double[] {packets / s, points / s, hourStep};
    }

    private static void put(byte[] b, int at, long v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
        b[at + 3] = (byte) (v >> 24);
    }
}

package dev.fusionnode.cli;

import dev.fusionnode.velodyne.PacketFile;
import dev.fusionnode.velodyne.VelodyneDecoder;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node velodyne-replay}: sends a file of Velodyne data packets over UDP as the sensor
 * would, at the packets' own pace or as fast as possible.
 */
@Command(
        name = "velodyne-replay",
        mixinStandardHelpOptions = true,
        description = {
            "Send a file of Velodyne data packets over UDP, as the sensor does.",
            "The file holds 1206-byte payloads or 1248-byte captures back to back; use it to try"
                    + " the live Velodyne source without a sensor."
        })
final class VelodyneReplayCommand implements Callable<Integer> {
    private static final double HOUR_US = 3_600_000_000.0;

    @Option(names = "--file", required = true, description = "The packet file.")
    Path file;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Destination address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--port",
            defaultValue = "2368",
            description = "Destination port (default: ${DEFAULT-VALUE}, Velodyne's data port).")
    int port;

    @Option(
            names = "--rate",
            defaultValue = "real",
            description =
                    "The pace: real (the packets' time stamps set the pace), max (as fast as possible), or a"
                            + " speed factor such as 2 (default: ${DEFAULT-VALUE}).")
    String rate;

    @Option(
            names = "--loop",
            defaultValue = "1",
            description = "Times to send the file (default: ${DEFAULT-VALUE}).")
    int loop;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        double speed =
                switch (rate.toLowerCase(Locale.ROOT)) {
                    case "real" -> 1;
                    case "max" -> Double.POSITIVE_INFINITY;
                    default -> Double.parseDouble(rate);
                };
        if (!(speed > 0)) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--rate must be real, max or a positive factor");
        }
        PacketFile f = PacketFile.read(file);
        InetSocketAddress to = new InetSocketAddress(host, port);
        long sent = 0;
        long start = System.nanoTime();
        try (DatagramSocket socket = new DatagramSocket()) {
            for (int round = 0; round < loop; round++) {
                long roundStart = System.nanoTime();
                double firstUs = Double.NaN;
                double previousUs = 0;
                double offsetUs = 0; // across the hour and across loops
                for (int i = 0; i < f.packets(); i++) {
                    int at = f.offset(i);
                    int payloadAt =
                            f.packetSize() == VelodyneDecoder.PAYLOAD
                                    ? at
                                    : at + VelodyneDecoder.HEADERS;
                    if (Double.isFinite(speed)) {
                        double us = VelodyneDecoder.timestampUs(f.bytes(), payloadAt) + offsetUs;
                        if (us < previousUs - HOUR_US / 2) {
                            offsetUs += HOUR_US;
                            us += HOUR_US;
                        }
                        previousUs = us;
                        if (Double.isNaN(firstUs)) {
                            firstUs = us;
                        }
                        long due = roundStart + (long) ((us - firstUs) * 1000 / speed);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    socket.send(
                            new DatagramPacket(f.bytes(), payloadAt, VelodyneDecoder.PAYLOAD, to));
                    sent++;
                }
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "sent %d packets to udp %s:%d in %.3f s (%.0f packets/s)%n",
                sent,
                host,
                port,
                s,
                sent / Math.max(s, 1e-9));
        return 0;
    }
}

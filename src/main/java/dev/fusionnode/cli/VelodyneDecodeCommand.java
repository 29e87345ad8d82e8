package dev.fusionnode.cli;

import dev.fusionnode.config.EnumNames;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.velodyne.PacketFile;
import dev.fusionnode.velodyne.VelodyneCalibration;
import dev.fusionnode.velodyne.VelodyneDecoder;
import dev.fusionnode.velodyne.VelodyneModel;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node velodyne-decode}: decodes a packet file into one KITTI-style scan file
 * (float32 x, y, z, intensity records in the sensor frame).
 */
@Command(
        name = "velodyne-decode",
        mixinStandardHelpOptions = true,
        description = {
            "Decode a file of Velodyne data packets into a KITTI-style .bin scan.",
            "Each return is four little-endian float32 (x, y, z, intensity) in the sensor frame"
                    + " (x forward, y left, z up, metres)."
        })
final class VelodyneDecodeCommand implements Callable<Integer> {
    @Option(names = "--file", required = true, description = "The packet file.")
    Path file;

    @Option(names = "--out", required = true, description = "The scan file to write.")
    Path out;

    @Option(
            names = "--calib",
            description = "Calibration database JSON (default: the model's nominal angles).")
    Path calib;

    @Option(
            names = "--model",
            description =
                    "Sensor model when the packets do not name it: VLP-16, Puck Hi-Res, VLP-32C,"
                            + " HDL-32E (default: each packet's product id).")
    String model;

    @Option(
            names = "--returns",
            defaultValue = "both",
            description =
                    "Dual-return packets: both, strongest or last (default: ${DEFAULT-VALUE}).")
    String returns;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        PacketFile f = PacketFile.read(file);
        VelodyneDecoder decoder =
                new VelodyneDecoder(
                        Optional.ofNullable(model).map(VelodyneModel::parse),
                        Optional.ofNullable(calib).map(VelodyneCalibration::read),
                        EnumNames.parse(VelodyneDecoder.Returns.class, returns),
                        0,
                        Double.POSITIVE_INFINITY);
        ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        long[] points = {0};
        int bad = 0;
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            VelodyneDecoder.PointSink sink =
                    (x, y, z, intensity) -> {
                        record.clear();
                        record.putFloat(x).putFloat(y).putFloat(z).putFloat(intensity);
                        try {
                            os.write(record.array());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        points[0]++;
                    };
            for (int i = 0; i < f.packets(); i++) {
                try {
                    decoder.decode(
                            f.bytes(), f.offset(i), f.packetSize(), sink, file + " packet " + i);
                } catch (BadInputException e) {
                    System.err.println("skipped: " + e.getMessage());
                    bad++;
                }
            }
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf(
                Locale.ROOT,
                "%s: %d packets (%d skipped), %d points -> %s%n",
                file,
                f.packets(),
                bad,
                points[0],
                out);
        return bad == 0 ? 0 : 2;
    }
}

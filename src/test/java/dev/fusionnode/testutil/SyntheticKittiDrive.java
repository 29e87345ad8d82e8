package dev.fusionnode.testutil;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Image;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a small KITTI-layout drive for pipeline tests: {@code image_2/*.png} (64x48), {@code
 * velodyne/*.bin} whose points differ per frame, {@code calib/*.txt}, a split and a replay
 * playlist.
 */
public final class SyntheticKittiDrive {
    /** Image width. */
    public static final int WIDTH = 64;

    /** Image height. */
    public static final int HEIGHT = 48;

    /** Calibration: fx = fy = 50, principal point at the centre, Velodyne axes to camera axes. */
    public static final String CALIB =
            "P0: 50 0 32 0 0 50 24 0 0 0 1 0\n"
                    + "P1: 50 0 32 0 0 50 24 0 0 0 1 0\n"
                    + "P2: 50 0 32 0 0 50 24 0 0 0 1 0\n"
                    + "P3: 50 0 32 0 0 50 24 0 0 0 1 0\n"
                    + "R0_rect: 1 0 0 0 1 0 0 0 1\n"
                    + "Tr_velo_to_cam: 0 -1 0 0 0 0 -1 0 1 0 0 0\n"
                    + "Tr_imu_to_velo: 1 0 0 0 0 1 0 0 0 0 1 0\n";

    private SyntheticKittiDrive() {}

    /** Writes {@code frames} frames under {@code root}; returns the split lines. */
    public static List<String> write(Path root, int frames) throws IOException {
        Files.createDirectories(root.resolve("image_2"));
        Files.createDirectories(root.resolve("velodyne"));
        Files.createDirectories(root.resolve("calib"));
        List<String> lines = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            String name = String.format("%06d", f);
            byte[] px = new byte[WIDTH * HEIGHT * 3];
            for (int i = 0; i < px.length; i++) {
                px[i] = (byte) (i * 7 + f * 13);
            }
            Files.write(
                    root.resolve("image_2/" + name + ".png"),
                    ImageCodec.encodePng(new Image(WIDTH, HEIGHT, 3, px)));
            Random rnd = new Random(f);
            int n = 200 + f % 50;
            ByteBuffer b = ByteBuffer.allocate(n * 16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                b.putFloat(2 + rnd.nextFloat() * 30)
                        .putFloat(rnd.nextFloat() * 20 - 10)
                        .putFloat(rnd.nextFloat() * 4 - 2)
                        .putFloat(rnd.nextFloat());
            }
            Files.write(root.resolve("velodyne/" + name + ".bin"), b.array());
            Files.writeString(root.resolve("calib/" + name + ".txt"), CALIB);
            lines.add("image_2/" + name + ".png");
        }
        Files.write(root.resolve("all.txt"), lines);
        return lines;
    }

    /** Writes a playlist for the drive under {@code root}; returns its path. */
    public static Path playlist(Path root, String rate, boolean loop) throws IOException {
        Path p = root.resolve("playlist.json");
        Files.writeString(
                p,
                "{\"name\": \"synthetic\", \"rate\": \""
                        + rate
                        + "\", \"loop\": "
                        + loop
                        + ", \"dataset\": {\"root\": \""
                        + root.toString().replace("\\", "/")
                        + "\", \"layout\": \"kitti\", \"split\": \"all.txt\", \"frameRateHz\": 10}}");
        return p;
    }
}

package dev.fusionnode.cluster;

import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A fused frame as bytes for the clustered event bus: the camera image and the LiDAR image as raw
 * pixels, the scan's points as float32, the timing fields (big-endian, {@link DataOutputStream}).
 * The scan's pixel hints are not sent (the model input is the LiDAR image).
 */
public final class FusedFrameWire {
    private static final int VERSION = 1;

    private FusedFrameWire() {}

    /** The frame's bytes. */
    public static byte[] encode(FusedFrame f) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            CameraFrame c = f.camera();
            out.writeUTF(c.sensorId());
            out.writeLong(c.seq());
            out.writeLong(c.captureTimeNs());
            out.writeUTF(c.origin());
            image(out, c.image());
            out.writeBoolean(f.lidar().isPresent());
            if (f.lidar().isPresent()) {
                LidarScan s = f.lidar().get();
                out.writeUTF(s.sensorId());
                out.writeLong(s.seq());
                out.writeLong(s.timeNs());
                out.writeUTF(s.frameId());
                out.writeUTF(s.origin());
                float[] p = s.points().unsafeArray();
                int n = s.points().size() * PointCloud.STRIDE;
                out.writeInt(n);
                for (int i = 0; i < n; i++) {
                    out.writeFloat(p[i]);
                }
            }
            out.writeBoolean(f.lidarImage().isPresent());
            if (f.lidarImage().isPresent()) {
                image(out, f.lidarImage().get());
            }
            out.writeInt(f.pointsInImage());
            out.writeLong(f.skewNs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The frame of {@code bytes}; its ingest time is {@code ingestNanoTime} (the receiving node's
     * clock: nanoTime does not travel between machines).
     *
     * @throws IllegalArgumentException for bytes that are not a frame of this version
     */
    public static FusedFrame decode(byte[] bytes, long ingestNanoTime) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("fused frame wire version " + version);
            }
            String cam = in.readUTF();
            long seq = in.readLong();
            long time = in.readLong();
            String origin = in.readUTF();
            CameraFrame camera = new CameraFrame(cam, seq, time, image(in), origin);
            Optional<LidarScan> scan = Optional.empty();
            if (in.readBoolean()) {
                String id = in.readUTF();
                long sseq = in.readLong();
                long stime = in.readLong();
                String frame = in.readUTF();
                String sorigin = in.readUTF();
                int n = in.readInt();
                float[] p = new float[n];
                for (int i = 0; i < n; i++) {
                    p[i] = in.readFloat();
                }
                scan =
                        Optional.of(
                                new LidarScan(
                                        id,
                                        sseq,
                                        stime,
                                        frame,
                                        new PointCloud(p),
                                        Optional.empty(),
                                        sorigin));
            }
            Optional<Image> lidarImage =
                    in.readBoolean() ? Optional.of(image(in)) : Optional.empty();
            int points = in.readInt();
            long skew = in.readLong();
            return new FusedFrame(camera, scan, lidarImage, points, skew, ingestNanoTime);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a fused frame: " + e, e);
        }
    }

    private static void image(DataOutputStream out, Image img) throws IOException {
        out.writeInt(img.width());
        out.writeInt(img.height());
        out.writeInt(img.channels());
        byte[] px = img.copyPixels();
        out.write(px);
    }

    private static Image image(DataInputStream in) throws IOException {
        int w = in.readInt();
        int h = in.readInt();
        int c = in.readInt();
        if (w <= 0 || h <= 0 || c <= 0 || (long) w * h * c > (1L << 28)) {
            throw new IOException("image of " + w + "x" + h + "x" + c);
        }
        byte[] px = new byte[w * h * c];
        in.readFully(px);
        return new Image(w, h, c, px);
    }
}

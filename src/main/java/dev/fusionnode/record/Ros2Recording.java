package dev.fusionnode.record;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.mcap.McapWriter;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.EncodedFrame;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.ros.MessageEncoder;
import dev.fusionnode.ros.Ros2BagWriter;
import dev.fusionnode.ros.RosSchemas;
import dev.fusionnode.ros.TfTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recording as a ROS 2 bag, with the topics a ROS 2 camera and LiDAR driver would publish: {@code
 * /<camera>/image_raw/compressed} ({@code CompressedImage}, PNG or JPEG) with {@code
 * /<camera>/camera_info} beside each image, {@code /<lidar>/points} ({@code PointCloud2}), {@code
 * /tf_static} (each camera's pose in its LiDAR's frame), and the node's outputs: {@code
 * /fusion/<camera>/mask} and {@code /fusion/<camera>/confidence} ({@code Image}, {@code mono8}) and
 * {@code /fusion/<camera>/overlay/compressed} (JPEG), stamped with their camera frame's stamp and
 * frame id. Frame ids are the node's sensor ids. Calibrations known before the first sensor message
 * are logged at its time, so that {@code ros2 bag play} does not wait from time zero.
 */
final class Ros2Recording implements RecordingFormat {
    private final Ros2BagWriter bag;
    private final String cameraFormat;
    private final List<CalibrationUpdate> pending = new ArrayList<>();
    private final Map<String, Calibration> intrinsicsOf = new HashMap<>();

    /** The static transforms by child frame. */
    private final Map<String, TfTree.Edge> transforms = new LinkedHashMap<>();

    private long lastTimeNs = Long.MIN_VALUE;

    Ros2Recording(McapWriter mcap, String cameraFormat) {
        this.bag = new Ros2BagWriter(mcap);
        this.cameraFormat = cameraFormat;
    }

    @Override
    public String profile() {
        return "ros2";
    }

    @Override
    public void camera(CameraFrame f) throws IOException {
        sensorTime(f.captureTimeNs());
        byte[] encoded =
                cameraFormat.equals("jpeg")
                        ? ImageCodec.encodeJpeg(f.image(), 90)
                        : ImageCodec.encodePng(f.image());
        bag.write(
                "/" + f.sensorId() + "/image_raw/compressed",
                RosSchemas.COMPRESSED_IMAGE,
                f.captureTimeNs(),
                MessageEncoder.compressedImage(
                        f.captureTimeNs(), f.sensorId(), cameraFormat, encoded));
        Calibration c = intrinsicsOf.get(f.sensorId());
        if (c != null) {
            bag.write(
                    "/" + f.sensorId() + "/camera_info",
                    RosSchemas.CAMERA_INFO,
                    f.captureTimeNs(),
                    MessageEncoder.cameraInfo(f.captureTimeNs(), f.sensorId(), c));
        }
    }

    @Override
    public void scan(LidarScan s) throws IOException {
        sensorTime(s.timeNs());
        bag.write(
                "/" + s.sensorId() + "/points",
                RosSchemas.POINT_CLOUD,
                s.timeNs(),
                MessageEncoder.pointCloud(s.timeNs(), s.sensorId(), s.points()));
    }

    @Override
    public void calibration(CalibrationUpdate u) throws IOException {
        if (lastTimeNs == Long.MIN_VALUE) {
            pending.add(u);
            return;
        }
        write(u, Math.max(lastTimeNs, u.validFromNs()));
    }

    /** A sensor message at {@code timeNs}: calibrations waiting for a time are logged at it. */
    private void sensorTime(long timeNs) throws IOException {
        boolean first = lastTimeNs == Long.MIN_VALUE;
        lastTimeNs = Math.max(lastTimeNs, timeNs);
        if (first) {
            for (CalibrationUpdate u : pending) {
                write(u, timeNs);
            }
            pending.clear();
        }
    }

    private void write(CalibrationUpdate u, long timeNs) throws IOException {
        if (u.calibration().isEmpty()) {
            intrinsicsOf.remove(u.cameraId());
            return;
        }
        Calibration c = u.calibration().get();
        intrinsicsOf.put(u.cameraId(), c);
        // a TF frame has one parent: a camera hangs under its LiDAR; a camera's second LiDAR
        // hangs under the camera; a pair already connected through others adds nothing
        TfTree.Edge cameraEdge =
                new TfTree.Edge(u.lidarId(), u.cameraId(), c.lidarToCamera().inverseRigid());
        TfTree.Edge lidarEdge = new TfTree.Edge(u.cameraId(), u.lidarId(), c.lidarToCamera());
        TfTree.Edge known = transforms.get(u.cameraId());
        if (known == null || known.parent().equals(u.lidarId())) {
            transforms.put(u.cameraId(), cameraEdge);
        } else if (!transforms.containsKey(u.lidarId())) {
            transforms.put(u.lidarId(), lidarEdge);
        }
        // /tf_static is latched: each message states every static transform known so far
        bag.write(
                "/tf_static",
                RosSchemas.TF,
                timeNs,
                MessageEncoder.tf(timeNs, List.copyOf(transforms.values())));
    }

    @Override
    public void outputs(EncodedFrame e) throws IOException {
        long t = e.captureTimeNs();
        String cam = e.cameraId();
        bag.write(
                "/fusion/" + cam + "/mask",
                RosSchemas.IMAGE,
                t,
                MessageEncoder.image(t, cam, e.frame().mask()));
        bag.write(
                "/fusion/" + cam + "/confidence",
                RosSchemas.IMAGE,
                t,
                MessageEncoder.image(t, cam, e.frame().confidence()));
        bag.write(
                "/fusion/" + cam + "/overlay/compressed",
                RosSchemas.COMPRESSED_IMAGE,
                t,
                MessageEncoder.compressedImage(t, cam, "jpeg", e.overlayJpeg()));
    }

    @Override
    public void closed(Path file) {
        bag.writeMetadata(file);
    }
}

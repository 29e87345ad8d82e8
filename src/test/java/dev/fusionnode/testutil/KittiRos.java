package dev.fusionnode.testutil;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.ros.TfTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * KITTI frame 000000 as the npm ROS 2 scripts take it: raw RGB bytes and ROS calibration values.
 */
public final class KittiRos {
    private KittiRos() {}

    /** Writes an image's raw pixels (RGB rows, no padding) to {@code file}. */
    public static Path rawPixels(Image image, Path file) throws IOException {
        byte[] rgb = new byte[image.pixels().capacity()];
        image.pixels().get(0, rgb);
        return Files.write(file, rgb);
    }

    /**
     * A calibration as a ROS camera info and transform state it: fx fy cx cy, then the LiDAR's pose
     * in the camera's frame as a translation and a quaternion (x y z w).
     */
    public static double[] rosCalibration(Calibration k) {
        double[] m = k.lidarToCamera().toArray();
        double[] q = TfTree.toQuaternion(k.lidarToCamera());
        return new double[] {
            k.camera().fx(),
            k.camera().fy(),
            k.camera().cx(),
            k.camera().cy(),
            m[3],
            m[7],
            m[11],
            q[0],
            q[1],
            q[2],
            q[3]
        };
    }
}

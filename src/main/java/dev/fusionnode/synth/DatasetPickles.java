package dev.fusionnode.synth;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.CameraModel;
import dev.fusionnode.io.LidarPickle;
import dev.fusionnode.io.NumpyArray;
import dev.fusionnode.io.NumpyPickleWriter;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PixelHints;
import dev.fusionnode.pipeline.PointCloud;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The LiDAR pickles of the dataset layouts, from a sweep in the LiDAR frame and the calibration:
 * ZOD (camera-frame points inside the fisheye image, [1, u, v]) and Iseauto (the whole sweep,
 * [flag, u, v]). Used by {@code synth} and by {@code export} of recorded drives.
 */
public final class DatasetPickles {
    private DatasetPickles() {}

    /**
     * A pickle's arrays: points, per-point [camera id or flag, u, v], and its bytes.
     *
     * @param xyz points
     * @param coords per point camera id or flag, u, v
     * @param count points
     * @param cameraFrame true when the points are in the camera frame (ZOD)
     * @param bytes the pickle
     */
    public record Pickle(float[] xyz, int[] coords, int count, boolean cameraFrame, byte[] bytes) {
        /** The scan with the pickle's pixel hints. */
        public LidarScan scan(String origin) {
            int[] cam = new int[count];
            int[] u = new int[count];
            int[] v = new int[count];
            for (int i = 0; i < count; i++) {
                cam[i] = coords[3 * i];
                u[i] = coords[3 * i + 1];
                v[i] = coords[3 * i + 2];
            }
            SynthProfile p = cameraFrame ? SynthProfile.ZOD : SynthProfile.ISEAUTO;
            PixelHints hints =
                    new PixelHints(cam, u, v, p.layout().rawWidth(), p.layout().rawHeight());
            return new LidarScan(
                    "synth",
                    0,
                    0,
                    cameraFrame ? LidarScan.FRAME_CAMERA : LidarScan.FRAME_LIDAR,
                    PointCloud.fromXyz(xyz),
                    Optional.of(hints),
                    origin);
        }
    }

    /** Camera-frame points inside the fisheye image (10 px margin), [1, u, v] raw pixels. */
    public static Pickle zod(float[] sweep, Calibration calibration) {
        CameraModel cam = calibration.camera();
        double[] e = calibration.lidarToCamera().toArray();
        int n = sweep.length / 3;
        float[] xyz = new float[n * 3];
        int[] coords = new int[n * 3];
        double[] uv = new double[2];
        int k = 0;
        int w = calibration.width();
        int h = calibration.height();
        for (int i = 0; i < n; i++) {
            double x = sweep[3 * i];
            double y = sweep[3 * i + 1];
            double z = sweep[3 * i + 2];
            float cx = (float) (e[0] * x + e[1] * y + e[2] * z + e[3]);
            float cy = (float) (e[4] * x + e[5] * y + e[6] * z + e[7]);
            float cz = (float) (e[8] * x + e[9] * y + e[10] * z + e[11]);
            if (!(cz > 0) || !cam.project(cx, cy, cz, uv)) {
                continue;
            }
            long u = Math.round(uv[0]);
            long v = Math.round(uv[1]);
            if (u < FrameSynthesizer.ZOD_MARGIN_PX
                    || v < FrameSynthesizer.ZOD_MARGIN_PX
                    || u >= w - FrameSynthesizer.ZOD_MARGIN_PX
                    || v >= h - FrameSynthesizer.ZOD_MARGIN_PX) {
                continue;
            }
            xyz[3 * k] = cx;
            xyz[3 * k + 1] = cy;
            xyz[3 * k + 2] = cz;
            coords[3 * k] = 1;
            coords[3 * k + 1] = (int) u;
            coords[3 * k + 2] = (int) v;
            k++;
        }
        float[] pts = Arrays.copyOf(xyz, 3 * k);
        int[] cc = Arrays.copyOf(coords, 3 * k);
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put(LidarPickle.POINTS_KEY, NumpyArray.float32(pts, k, 3));
        dict.put(LidarPickle.COORDS_KEY, NumpyArray.uint16(cc, k, 3));
        dict.put(LidarPickle.CLASS_KEY, NumpyArray.uint8(new byte[2 * k], k, 2));
        return new Pickle(pts, cc, k, true, NumpyPickleWriter.dumps(dict));
    }

    /** The whole LiDAR-frame sweep, [flag, u, v]: flag 1 in front (x > 0) and inside the image. */
    public static Pickle iseauto(float[] sweep, Calibration calibration) {
        CameraModel cam = calibration.camera();
        double[] e = calibration.lidarToCamera().toArray();
        int n = sweep.length / 3;
        int[] coords = new int[n * 3];
        double[] uv = new double[2];
        int w = calibration.width();
        int h = calibration.height();
        for (int i = 0; i < n; i++) {
            float x = sweep[3 * i];
            float y = sweep[3 * i + 1];
            float z = sweep[3 * i + 2];
            double cx = e[0] * x + e[1] * y + e[2] * z + e[3];
            double cy = e[4] * x + e[5] * y + e[6] * z + e[7];
            double cz = e[8] * x + e[9] * y + e[10] * z + e[11];
            if (x > 0 && cz > 0 && cam.project(cx, cy, cz, uv)) {
                long u = Math.round(uv[0]);
                long v = Math.round(uv[1]);
                if (u >= 0 && v >= 0 && u < w && v < h) {
                    coords[3 * i] = 1;
                    coords[3 * i + 1] = (int) u;
                    coords[3 * i + 2] = (int) v;
                }
            }
        }
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put(LidarPickle.POINTS_KEY, NumpyArray.float32(sweep, n, 3));
        dict.put(LidarPickle.COORDS_KEY, NumpyArray.uint16(coords, n, 3));
        return new Pickle(sweep, coords, n, false, NumpyPickleWriter.dumps(dict));
    }
}

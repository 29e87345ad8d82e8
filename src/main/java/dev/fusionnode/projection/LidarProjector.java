package dev.fusionnode.projection;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.sensor.LidarScan;
import dev.fusionnode.sensor.PixelHints;
import dev.fusionnode.sensor.PointCloud;

/**
 * Projects LiDAR scans into a camera image. Two sources of pixels:
 *
 * <ul>
 *   <li>a {@link Calibration}: points go through the extrinsic, those deeper than {@code minDepth} through the
 *       camera model, and those landing inside the calibrated image ({@code 0 <= u < width}, {@code 0 <= v <
 *       height}, before rounding) are kept. An undistorted pinhole uses one fused 3x4 matrix per point.
 *   <li>the dataset's own per-point pixels ({@link PixelHints}, ZOD / Iseauto / Waymo pickles): points of the
 *       front camera (id 1) are kept as they are; the encoders apply their dataset's scaling and bounds.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class LidarProjector {
    /** Camera id of the front camera in the CLFT pickles. */
    public static final int FRONT_CAMERA_ID = 1;

    private final double minDepth;

    /** Creates a projector that keeps points deeper than {@code minDepth} metres (calibrated projection). */
    public LidarProjector(double minDepth) {
        if (!(minDepth >= 0)) {
            throw new IllegalArgumentException("minDepth must be >= 0, got " + minDepth);
        }
        this.minDepth = minDepth;
    }

    /**
     * Projects with the scan's pixel hints when it has them and {@code calibration} is null, else through the
     * calibration.
     *
     * @throws IllegalArgumentException when neither is available
     */
    public ProjectedPoints project(LidarScan scan, Calibration calibration) {
        if (calibration == null) {
            PixelHints hints =
                    scan.pixelHints()
                            .orElseThrow(
                                    () -> new IllegalArgumentException(
                                            "scan " + scan.origin() + " has no pixel coordinates and no calibration was given"));
            return fromHints(scan.points(), hints);
        }
        if (LidarScan.FRAME_CAMERA.equals(scan.frameId())) {
            return throughCalibration(scan.points(), calibration, RigidTransform.identity());
        }
        return throughCalibration(scan.points(), calibration, calibration.lidarToCamera());
    }

    /** Keeps the front-camera points with their dataset pixels; camera-frame = stored coordinates. */
    public ProjectedPoints fromHints(PointCloud points, PixelHints hints) {
        int n = points.size();
        float[] a = points.unsafeArray();
        float[] u = new float[n];
        float[] v = new float[n];
        float[] x = new float[n];
        float[] y = new float[n];
        float[] z = new float[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (hints.cameraId(i) != FRONT_CAMERA_ID) {
                continue;
            }
            u[k] = hints.u(i);
            v[k] = hints.v(i);
            x[k] = a[i * 4];
            y[k] = a[i * 4 + 1];
            z[k] = a[i * 4 + 2];
            k++;
        }
        return new ProjectedPoints(hints.rawWidth(), hints.rawHeight(), u, v, x, y, z, x, y, z, k);
    }

    private ProjectedPoints throughCalibration(PointCloud points, Calibration calib, RigidTransform extrinsic) {
        if (calib.camera() instanceof PinholeCamera p && p.isIdeal()) {
            return idealPinhole(points, calib, p, extrinsic);
        }
        return general(points, calib, extrinsic);
    }

    /** Fast path: one fused 3x4 matrix {@code K * E} and a divide per point. */
    private ProjectedPoints idealPinhole(PointCloud points, Calibration calib, PinholeCamera p, RigidTransform e) {
        double[] m = new double[12];
        double[] k = {p.fx(), 0, p.cx(), 0, p.fy(), p.cy(), 0, 0, 1};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                m[r * 4 + c] = k[r * 3] * e.get(0, c) + k[r * 3 + 1] * e.get(1, c) + k[r * 3 + 2] * e.get(2, c);
            }
        }
        double e00 = e.get(0, 0), e01 = e.get(0, 1), e02 = e.get(0, 2), e03 = e.get(0, 3);
        double e10 = e.get(1, 0), e11 = e.get(1, 1), e12 = e.get(1, 2), e13 = e.get(1, 3);
        double m00 = m[0], m01 = m[1], m02 = m[2], m03 = m[3];
        double m10 = m[4], m11 = m[5], m12 = m[6], m13 = m[7];
        double m20 = m[8], m21 = m[9], m22 = m[10], m23 = m[11];
        int n = points.size();
        float[] a = points.unsafeArray();
        int w = calib.width();
        int h = calib.height();
        double minZ = minDepth;
        Buffers b = new Buffers(n);
        int kept = 0;
        for (int i = 0, o = 0; i < n; i++, o += PointCloud.STRIDE) {
            double x = a[o];
            double y = a[o + 1];
            double z = a[o + 2];
            double depth = m20 * x + m21 * y + m22 * z + m23;
            if (!(depth > minZ)) {
                continue;
            }
            double uu = (m00 * x + m01 * y + m02 * z + m03) / depth;
            double vv = (m10 * x + m11 * y + m12 * z + m13) / depth;
            if (uu >= 0 && uu < w && vv >= 0 && vv < h) {
                b.u[kept] = (float) uu;
                b.v[kept] = (float) vv;
                b.sx[kept] = (float) x;
                b.sy[kept] = (float) y;
                b.sz[kept] = (float) z;
                b.cx[kept] = (float) (e00 * x + e01 * y + e02 * z + e03);
                b.cy[kept] = (float) (e10 * x + e11 * y + e12 * z + e13);
                b.cz[kept] = (float) depth;
                kept++;
            }
        }
        return b.toPoints(w, h, kept);
    }

    private ProjectedPoints general(PointCloud points, Calibration calib, RigidTransform e) {
        int n = points.size();
        float[] a = points.unsafeArray();
        int w = calib.width();
        int h = calib.height();
        double[] uv = new double[2];
        Buffers b = new Buffers(n);
        int kept = 0;
        for (int i = 0, o = 0; i < n; i++, o += PointCloud.STRIDE) {
            double x = a[o];
            double y = a[o + 1];
            double z = a[o + 2];
            double px = e.get(0, 0) * x + e.get(0, 1) * y + e.get(0, 2) * z + e.get(0, 3);
            double py = e.get(1, 0) * x + e.get(1, 1) * y + e.get(1, 2) * z + e.get(1, 3);
            double pz = e.get(2, 0) * x + e.get(2, 1) * y + e.get(2, 2) * z + e.get(2, 3);
            if (!(pz > minDepth) || !calib.camera().project(px, py, pz, uv)) {
                continue;
            }
            if (uv[0] >= 0 && uv[0] < w && uv[1] >= 0 && uv[1] < h) {
                b.u[kept] = (float) uv[0];
                b.v[kept] = (float) uv[1];
                b.sx[kept] = (float) x;
                b.sy[kept] = (float) y;
                b.sz[kept] = (float) z;
                b.cx[kept] = (float) px;
                b.cy[kept] = (float) py;
                b.cz[kept] = (float) pz;
                kept++;
            }
        }
        return b.toPoints(w, h, kept);
    }

    /** Output arrays sized for the whole scan. */
    private static final class Buffers {
        final float[] u;
        final float[] v;
        final float[] sx;
        final float[] sy;
        final float[] sz;
        final float[] cx;
        final float[] cy;
        final float[] cz;

        Buffers(int n) {
            u = new float[n];
            v = new float[n];
            sx = new float[n];
            sy = new float[n];
            sz = new float[n];
            cx = new float[n];
            cy = new float[n];
            cz = new float[n];
        }

        ProjectedPoints toPoints(int w, int h, int count) {
            return new ProjectedPoints(w, h, u, v, sx, sy, sz, cx, cy, cz, count);
        }
    }
}

package dev.fusionnode.geometry;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PixelHints;
import dev.fusionnode.pipeline.PointCloud;
import java.util.Arrays;
import java.util.Optional;

/**
 * Projects LiDAR scans into a camera image. Two sources of pixels:
 *
 * <ul>
 *   <li>a {@link Calibration}: points go through the extrinsic, those deeper than {@code minDepth}
 *       through the camera model, and those landing inside the calibrated image ({@code 0 <= u <
 *       width}, {@code 0 <= v < height}, before rounding) are kept. An undistorted pinhole uses one
 *       fused 3x4 matrix per point.
 *   <li>the dataset's own per-point pixels ({@link PixelHints}, ZOD / Iseauto / Waymo pickles):
 *       points of the front camera (id 1) are kept as they are; the encoders apply their dataset's
 *       scaling and bounds.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class LidarProjector {
    /** Camera id of the front camera in the CLFT pickles. */
    public static final int FRONT_CAMERA_ID = 1;

    private final double minDepth;

    /**
     * Creates a projector that keeps points deeper than {@code minDepth} metres (calibrated
     * projection).
     */
    public LidarProjector(double minDepth) {
        if (!(minDepth >= 0)) {
            throw new IllegalArgumentException("minDepth must be >= 0, got " + minDepth);
        }
        this.minDepth = minDepth;
    }

    /**
     * Projects with the scan's pixel hints when it has them and {@code calibration} is null, else
     * through the calibration.
     *
     * @throws IllegalArgumentException when neither is available
     */
    public ProjectedPoints project(LidarScan scan, Calibration calibration) {
        if (calibration == null) {
            PixelHints hints =
                    scan.pixelHints()
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "scan "
                                                            + scan.origin()
                                                            + " has no pixel coordinates and no calibration was given"));
            return fromHints(scan.points(), hints);
        }
        if (LidarScan.FRAME_CAMERA.equals(scan.frameId())) {
            return throughCalibration(scan.points(), calibration, RigidTransform.identity());
        }
        return throughCalibration(scan.points(), calibration, calibration.lidarToCamera());
    }

    /**
     * Keeps the front-camera points with their dataset pixels; camera-frame = stored coordinates.
     */
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

    private ProjectedPoints throughCalibration(
            PointCloud points, Calibration calib, RigidTransform extrinsic) {
        if (calib.camera() instanceof PinholeCamera p && p.isIdeal()) {
            return idealPinhole(points, calib, p, extrinsic);
        }
        return general(points, calib, extrinsic);
    }

    /**
     * Per-thread scratch sized for the largest scan seen, so a projection allocates only its
     * compact result.
     */
    private static final ThreadLocal<Buffers> SCRATCH =
            ThreadLocal.withInitial(() -> new Buffers(0));

    private static Buffers scratch(int n) {
        Buffers s = SCRATCH.get();
        if (s.u.length < n) {
            s = new Buffers(n);
            SCRATCH.set(s);
        }
        return s;
    }

    /**
     * Fast path: one fused 3x4 matrix {@code K * E} per point, in one pass. Most points are
     * rejected by division-free tests on a slightly wide window; the few candidates get the exact
     * test ({@code 0 <= u < w}, {@code 0 <= v < h} after the division) and have their values
     * written while they are in cache.
     */
    private ProjectedPoints idealPinhole(
            PointCloud points, Calibration calib, PinholeCamera p, RigidTransform e) {
        double e00 = e.get(0, 0), e01 = e.get(0, 1), e02 = e.get(0, 2), e03 = e.get(0, 3);
        double e10 = e.get(1, 0), e11 = e.get(1, 1), e12 = e.get(1, 2), e13 = e.get(1, 3);
        Buffers b = scratch(points.size());
        int[] count = {0};
        forEachLanded(
                points,
                calib,
                p,
                e,
                (i, x, y, z, u, v, depth) -> {
                    int c = count[0]++;
                    b.u[c] = (float) u;
                    b.v[c] = (float) v;
                    b.sx[c] = (float) x;
                    b.sy[c] = (float) y;
                    b.sz[c] = (float) z;
                    b.cx[c] = (float) (e00 * x + e01 * y + e02 * z + e03);
                    b.cy[c] = (float) (e10 * x + e11 * y + e12 * z + e13);
                    b.cz[c] = (float) depth;
                });
        return b.compact(calib.width(), calib.height(), count[0]);
    }

    /**
     * Projects and encodes {@link LidarEncoding#ZOD_BASIC} in one pass, without intermediate
     * arrays, when the calibration is an undistorted pinhole; the result is identical to {@code
     * ZOD_BASIC.encoder().encode(project(scan, calibration), width, height)}.
     *
     * @return empty when the fast path does not apply
     */
    public Optional<EncodedLidar> zodBasicDirect(
            LidarScan scan, Calibration calib, int width, int height) {
        if (calib == null || !(calib.camera() instanceof PinholeCamera p) || !p.isIdeal()) {
            return Optional.empty();
        }
        RigidTransform e =
                LidarScan.FRAME_CAMERA.equals(scan.frameId())
                        ? RigidTransform.identity()
                        : calib.lidarToCamera();
        double e00 = e.get(0, 0), e01 = e.get(0, 1), e02 = e.get(0, 2), e03 = e.get(0, 3);
        double e10 = e.get(1, 0), e11 = e.get(1, 1), e12 = e.get(1, 2), e13 = e.get(1, 3);
        byte[] px = new byte[width * height * 3];
        float sx = LidarImageEncoder.scale(width, calib.width());
        float sy = LidarImageEncoder.scale(height, calib.height());
        int[] landed = {0};
        forEachLanded(
                scan.points(),
                calib,
                p,
                e,
                (i, x, y, z, u, v, depth) -> {
                    int idx =
                            LidarImageEncoder.pixelIndex(
                                    (float) u, (float) v, sx, sy, width, height);
                    if (idx >= 0) {
                        landed[0]++;
                        ZodBasicEncoder.write(
                                px,
                                idx,
                                (float) (e00 * x + e01 * y + e02 * z + e03),
                                (float) (e10 * x + e11 * y + e12 * z + e13),
                                (float) depth);
                    }
                });
        return Optional.of(new EncodedLidar(new Image(width, height, 3, px), landed[0]));
    }

    /**
     * Receives each point the ideal-pinhole kernel lands: index, stored coordinates, pixel and
     * depth.
     */
    @FunctionalInterface
    private interface LandedPointSink {
        void accept(int index, double x, double y, double z, double u, double v, double depth);
    }

    /**
     * The hot loop for an undistorted pinhole, with one fused 3x4 matrix {@code K * E} per point.
     * Most points are rejected by division-free float32 tests on a window one pixel and one
     * centimetre wider than the exact one (so float rounding never rejects a point the double test
     * would keep); candidates get the exact test: depth above {@code minDepth}, {@code 0 <= u <
     * width}, {@code 0 <= v < height} before rounding.
     */
    private void forEachLanded(
            PointCloud points,
            Calibration calib,
            PinholeCamera p,
            RigidTransform e,
            LandedPointSink sink) {
        double[] m = new double[12];
        double[] k = {p.fx(), 0, p.cx(), 0, p.fy(), p.cy(), 0, 0, 1};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                m[r * 4 + c] =
                        k[r * 3] * e.get(0, c)
                                + k[r * 3 + 1] * e.get(1, c)
                                + k[r * 3 + 2] * e.get(2, c);
            }
        }
        double m00 = m[0], m01 = m[1], m02 = m[2], m03 = m[3];
        double m10 = m[4], m11 = m[5], m12 = m[6], m13 = m[7];
        double m20 = m[8], m21 = m[9], m22 = m[10], m23 = m[11];
        float f00 = (float) m00, f01 = (float) m01, f02 = (float) m02, f03 = (float) m03;
        float f10 = (float) m10, f11 = (float) m11, f12 = (float) m12, f13 = (float) m13;
        float f20 = (float) m20, f21 = (float) m21, f22 = (float) m22, f23 = (float) m23;
        float fMinZ = (float) (minDepth - 0.01);
        int w = calib.width();
        int h = calib.height();
        float fw = w + 1f;
        float fh = h + 1f;
        float[] a = points.unsafeArray();
        int n = points.size();
        for (int i = 0, o = 0; i < n; i++, o += PointCloud.STRIDE) {
            float fx = a[o];
            float fy = a[o + 1];
            float fz = a[o + 2];
            float fd = f20 * fx + f21 * fy + f22 * fz + f23;
            if (!(fd > fMinZ)) {
                continue;
            }
            float fu = f00 * fx + f01 * fy + f02 * fz + f03;
            if (!(fu > -fd & fu < fw * fd)) {
                continue;
            }
            float fv = f10 * fx + f11 * fy + f12 * fz + f13;
            if (!(fv > -fd & fv < fh * fd)) {
                continue;
            }
            double x = fx;
            double y = fy;
            double z = fz;
            double depth = m20 * x + m21 * y + m22 * z + m23;
            if (!(depth > minDepth)) {
                continue;
            }
            double uu = (m00 * x + m01 * y + m02 * z + m03) / depth;
            double vv = (m10 * x + m11 * y + m12 * z + m13) / depth;
            if (uu >= 0 && uu < w && vv >= 0 && vv < h) {
                sink.accept(i, x, y, z, uu, vv, depth);
            }
        }
    }

    private ProjectedPoints general(PointCloud points, Calibration calib, RigidTransform e) {
        int n = points.size();
        float[] a = points.unsafeArray();
        int w = calib.width();
        int h = calib.height();
        double[] uv = new double[2];
        Buffers b = scratch(n);
        int count = 0;
        for (int i = 0, o = 0; i < n; i++, o += PointCloud.STRIDE) {
            double[] pc = toCamera(e, a, o);
            if (pc[2] > minDepth
                    && calib.camera().project(pc[0], pc[1], pc[2], uv)
                    && uv[0] >= 0
                    && uv[0] < w
                    && uv[1] >= 0
                    && uv[1] < h) {
                b.u[count] = (float) uv[0];
                b.v[count] = (float) uv[1];
                b.sx[count] = a[o];
                b.sy[count] = a[o + 1];
                b.sz[count] = a[o + 2];
                b.cx[count] = (float) pc[0];
                b.cy[count] = (float) pc[1];
                b.cz[count] = (float) pc[2];
                count++;
            }
        }
        return b.compact(w, h, count);
    }

    private static double[] toCamera(RigidTransform e, float[] a, int o) {
        double x = a[o];
        double y = a[o + 1];
        double z = a[o + 2];
        return new double[] {
            e.get(0, 0) * x + e.get(0, 1) * y + e.get(0, 2) * z + e.get(0, 3),
            e.get(1, 0) * x + e.get(1, 1) * y + e.get(1, 2) * z + e.get(1, 3),
            e.get(2, 0) * x + e.get(2, 1) * y + e.get(2, 2) * z + e.get(2, 3)
        };
    }

    /** Output arrays, one entry per landed point. */
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

        /** Copies the first {@code count} entries into a new, exactly sized result. */
        ProjectedPoints compact(int w, int h, int count) {
            return new ProjectedPoints(
                    w,
                    h,
                    Arrays.copyOf(u, count),
                    Arrays.copyOf(v, count),
                    Arrays.copyOf(sx, count),
                    Arrays.copyOf(sy, count),
                    Arrays.copyOf(sz, count),
                    Arrays.copyOf(cx, count),
                    Arrays.copyOf(cy, count),
                    Arrays.copyOf(cz, count),
                    count);
        }
    }
}

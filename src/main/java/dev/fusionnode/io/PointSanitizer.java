package dev.fusionnode.io;

import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PixelHints;
import dev.fusionnode.pipeline.PointCloud;
import java.util.Optional;

/**
 * Removes points whose coordinates are NaN or infinite (real drivers emit them for missing
 * returns).
 */
public final class PointSanitizer {
    private PointSanitizer() {}

    /**
     * The cleaned cloud and how many points were removed.
     *
     * @param cloud the finite points, in their original order
     * @param hints hints of the kept points, or null when there were none
     * @param removed number of removed points
     */
    public record Result(PointCloud cloud, PixelHints hints, int removed) {}

    /**
     * Returns {@code cloud} without its non-finite points (the same instance when all are finite).
     */
    public static Result dropNonFinite(PointCloud cloud, PixelHints hints) {
        float[] a = cloud.unsafeArray();
        int n = cloud.size();
        int bad = 0;
        for (int i = 0; i < n; i++) {
            if (!isFinite(a, i)) {
                bad++;
            }
        }
        if (bad == 0) {
            return new Result(cloud, hints, 0);
        }
        float[] out = new float[(n - bad) * PointCloud.STRIDE];
        int[] keep = new int[n - bad];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (isFinite(a, i)) {
                System.arraycopy(
                        a, i * PointCloud.STRIDE, out, k * PointCloud.STRIDE, PointCloud.STRIDE);
                keep[k++] = i;
            }
        }
        PixelHints kept = null;
        if (hints != null) {
            int[] cam = new int[keep.length];
            int[] u = new int[keep.length];
            int[] v = new int[keep.length];
            for (int j = 0; j < keep.length; j++) {
                cam[j] = hints.cameraId(keep[j]);
                u[j] = hints.u(keep[j]);
                v[j] = hints.v(keep[j]);
            }
            kept = new PixelHints(cam, u, v, hints.rawWidth(), hints.rawHeight());
        }
        return new Result(new PointCloud(out), kept, bad);
    }

    /**
     * A scan without its non-finite points.
     *
     * @param scan the cleaned scan (the same instance when all points were finite)
     * @param removed number of removed points
     */
    public record CleanScan(LidarScan scan, int removed) {}

    /** Returns {@code scan} without its non-finite points, pixel hints kept in step. */
    public static CleanScan sanitize(LidarScan scan) {
        Result r = dropNonFinite(scan.points(), scan.pixelHints().orElse(null));
        if (r.removed() == 0) {
            return new CleanScan(scan, 0);
        }
        return new CleanScan(
                new LidarScan(
                        scan.sensorId(),
                        scan.seq(),
                        scan.timeNs(),
                        scan.frameId(),
                        r.cloud(),
                        Optional.ofNullable(r.hints()),
                        scan.origin()),
                r.removed());
    }

    private static boolean isFinite(float[] a, int i) {
        int o = i * PointCloud.STRIDE;
        return Float.isFinite(a[o]) && Float.isFinite(a[o + 1]) && Float.isFinite(a[o + 2]);
    }
}

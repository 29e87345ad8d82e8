package dev.fusionnode.io;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.PixelHints;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A CLFT dataset LiDAR pickle (clft-spec §1): {@code 3d_points} (N,3) float32 and {@code
 * camera_coordinates} (N,3) uint16 {@code [camera id, u, v]}, plus {@code class_instance} (N,2)
 * where present.
 *
 * @param points the points (intensity 0), as stored: camera frame for ZOD, LiDAR frame for Iseauto
 *     and Waymo
 * @param hints the per-point camera id and raw-image pixel
 * @param hasClassInstance whether the optional {@code class_instance} key was present
 */
public record LidarPickle(PointCloud points, PixelHints hints, boolean hasClassInstance) {

    /** Key of the point array. */
    public static final String POINTS_KEY = "3d_points";

    /** Key of the pixel-coordinate array. */
    public static final String COORDS_KEY = "camera_coordinates";

    /** Key of the optional per-point class / instance array. */
    public static final String CLASS_KEY = "class_instance";

    /**
     * Reads a pickle whose pixel coordinates refer to a raw image of {@code rawWidth x rawHeight}.
     *
     * @throws BadInputException when it does not load or lacks the expected keys or shapes
     */
    public static LidarPickle read(Path file, int rawWidth, int rawHeight) {
        return parse(PickleReader.load(file), file.toString(), rawWidth, rawHeight);
    }

    /** Validates an unpickled object; {@code source} names it in errors. */
    public static LidarPickle parse(Object root, String source, int rawWidth, int rawHeight) {
        if (!(root instanceof Map<?, ?> map)) {
            throw malformed(source, "expected a dict at the top level, found " + typeName(root));
        }
        NumpyArray pts = requireArray(map, POINTS_KEY, source);
        NumpyArray coords = requireArray(map, COORDS_KEY, source);
        int[] ps = pts.shape();
        int[] cs = coords.shape();
        if (ps.length != 2 || ps[1] != 3) {
            throw malformed(
                    source,
                    "'" + POINTS_KEY + "' must have shape (N, 3), found " + Arrays.toString(ps));
        }
        if (cs.length != 2 || cs[1] != 3) {
            throw malformed(
                    source,
                    "'" + COORDS_KEY + "' must have shape (N, 3), found " + Arrays.toString(cs));
        }
        if (ps[0] != cs[0]) {
            throw malformed(
                    source,
                    "'"
                            + POINTS_KEY
                            + "' has "
                            + ps[0]
                            + " rows but '"
                            + COORDS_KEY
                            + "' has "
                            + cs[0]);
        }
        float[] xyz;
        int[] c;
        try {
            xyz = pts.toFloatArray();
            c = coords.toIntArray();
        } catch (IllegalStateException e) {
            throw malformed(source, e.getMessage());
        }
        int n = ps[0];
        int[] cam = new int[n];
        int[] u = new int[n];
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            cam[i] = c[i * 3];
            u[i] = c[i * 3 + 1];
            v[i] = c[i * 3 + 2];
        }
        return new LidarPickle(
                PointCloud.fromXyz(xyz),
                new PixelHints(cam, u, v, rawWidth, rawHeight),
                map.containsKey(CLASS_KEY));
    }

    private static NumpyArray requireArray(Map<?, ?> map, String key, String source) {
        Object v = map.get(key);
        if (v == null) {
            throw malformed(
                    source, "missing key '" + key + "' (keys present: " + map.keySet() + ")");
        }
        if (!(v instanceof NumpyArray a)) {
            throw malformed(
                    source, "'" + key + "' is a " + typeName(v) + ", expected a numpy array");
        }
        return a;
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private static BadInputException malformed(String source, String problem) {
        return new BadInputException(BadInputReason.MALFORMED_PICKLE, source, problem);
    }
}

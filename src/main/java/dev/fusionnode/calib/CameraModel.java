package dev.fusionnode.calib;

/**
 * Maps a point in the camera's optical frame (x right, y down, z forward, metres) to pixel
 * coordinates. Implementations are immutable and thread-safe.
 */
public sealed interface CameraModel permits PinholeCamera, KannalaBrandtCamera {

    /**
     * Projects a camera-frame point with {@code z > 0}.
     *
     * @param out receives {@code u} at index 0 and {@code v} at index 1
     * @return false when the model cannot map the point (it is behind the camera or outside the
     *     model's domain)
     */
    boolean project(double x, double y, double z, double[] out);

    /** Focal length in x, pixels. */
    double fx();

    /** Focal length in y, pixels. */
    double fy();

    /** Principal point x, pixels. */
    double cx();

    /** Principal point y, pixels. */
    double cy();

    /** Model name as written in calibration files. */
    String modelName();
}

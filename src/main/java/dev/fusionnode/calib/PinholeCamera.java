package dev.fusionnode.calib;

/**
 * Pinhole camera with OpenCV's radial-tangential ("plumb bob") distortion {@code k1, k2, p1, p2,
 * k3}.
 *
 * @param fx focal length x
 * @param fy focal length y
 * @param cx principal point x
 * @param cy principal point y
 * @param k1 radial coefficient 1
 * @param k2 radial coefficient 2
 * @param p1 tangential coefficient 1
 * @param p2 tangential coefficient 2
 * @param k3 radial coefficient 3
 */
public record PinholeCamera(
        double fx,
        double fy,
        double cx,
        double cy,
        double k1,
        double k2,
        double p1,
        double p2,
        double k3)
        implements CameraModel {

    /** Validates the intrinsics. */
    public PinholeCamera {
        CameraModels.requirePositiveFinite("fx", fx);
        CameraModels.requirePositiveFinite("fy", fy);
        CameraModels.requireFinite(
                "cx", cx, "cy", cy, "k1", k1, "k2", k2, "p1", p1, "p2", p2, "k3", k3);
    }

    /** A distortion-free pinhole camera. */
    public static PinholeCamera ideal(double fx, double fy, double cx, double cy) {
        return new PinholeCamera(fx, fy, cx, cy, 0, 0, 0, 0, 0);
    }

    /** True when all distortion coefficients are zero. */
    public boolean isIdeal() {
        return k1 == 0 && k2 == 0 && p1 == 0 && p2 == 0 && k3 == 0;
    }

    /** {@inheritDoc} */
    @Override
    public boolean project(double x, double y, double z, double[] out) {
        if (!(z > 0)) {
            return false;
        }
        double a = x / z;
        double b = y / z;
        if (!isIdeal()) {
            double r2 = a * a + b * b;
            double radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3));
            double ad = a * radial + 2 * p1 * a * b + p2 * (r2 + 2 * a * a);
            double bd = b * radial + p1 * (r2 + 2 * b * b) + 2 * p2 * a * b;
            a = ad;
            b = bd;
        }
        out[0] = fx * a + cx;
        out[1] = fy * b + cy;
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public String modelName() {
        return "pinhole";
    }
}

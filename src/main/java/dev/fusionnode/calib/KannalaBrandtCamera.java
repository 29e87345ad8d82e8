package dev.fusionnode.calib;

/**
 * Kannala-Brandt fisheye camera (OpenCV {@code cv::fisheye}), the model of ZOD's front camera:
 * {@code theta_d = theta (1 + k1 theta^2 + k2 theta^4 + k3 theta^6 + k4 theta^8)}.
 *
 * @param fx focal length x
 * @param fy focal length y
 * @param cx principal point x
 * @param cy principal point y
 * @param k1 coefficient 1
 * @param k2 coefficient 2
 * @param k3 coefficient 3
 * @param k4 coefficient 4
 */
public record KannalaBrandtCamera(
        double fx, double fy, double cx, double cy, double k1, double k2, double k3, double k4)
        implements CameraModel {

    /** Validates the intrinsics. */
    public KannalaBrandtCamera {
        CameraModels.requirePositiveFinite("fx", fx);
        CameraModels.requirePositiveFinite("fy", fy);
        CameraModels.requireFinite("cx", cx, "cy", cy, "k1", k1, "k2", k2, "k3", k3, "k4", k4);
    }

    /** {@inheritDoc} */
    @Override
    public boolean project(double x, double y, double z, double[] out) {
        if (!(z > 0)) {
            return false;
        }
        double r = Math.sqrt(x * x + y * y);
        double theta = Math.atan2(r, z);
        double t2 = theta * theta;
        double thetaD = theta * (1 + t2 * (k1 + t2 * (k2 + t2 * (k3 + t2 * k4))));
        double scale = r > 1e-12 ? thetaD / r : 1.0 / z;
        out[0] = fx * x * scale + cx;
        out[1] = fy * y * scale + cy;
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public String modelName() {
        return "kannala-brandt";
    }
}

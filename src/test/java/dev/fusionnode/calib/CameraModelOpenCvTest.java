package dev.fusionnode.calib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_calib3d.fisheyeProjectPoints;
import static org.bytedeco.opencv.global.opencv_calib3d.projectPoints;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC3;

import java.util.Random;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * Verifies the camera models against OpenCV's {@code projectPoints} and {@code
 * fisheye::projectPoints}.
 */
class CameraModelOpenCvTest {
    private static final int N = 2000;

    private static double[] points(long seed) {
        Random r = new Random(seed);
        double[] p = new double[N * 3];
        for (int i = 0; i < N; i++) {
            double z = 1 + r.nextDouble() * 60;
            p[i * 3] = (r.nextDouble() - 0.5) * 1.6 * z;
            p[i * 3 + 1] = (r.nextDouble() - 0.5) * 1.0 * z;
            p[i * 3 + 2] = z;
        }
        return p;
    }

    private static Mat mat(int rows, int cols, int type, double... v) {
        Mat m = new Mat(rows, cols, type);
        m.data().capacity(v.length * 8L);
        new DoublePointer(m.data()).put(v);
        return m;
    }

    private static double[] read(Mat m, int n) {
        double[] out = new double[n];
        new DoublePointer(m.data()).get(out);
        return out;
    }

    private static void assertAgrees(CameraModel cam, double[] p, double[] expected) {
        double[] uv = new double[2];
        for (int i = 0; i < N; i++) {
            assertThat(cam.project(p[i * 3], p[i * 3 + 1], p[i * 3 + 2], uv)).isTrue();
            assertThat(uv[0]).isCloseTo(expected[i * 2], org.assertj.core.data.Offset.offset(1e-6));
            assertThat(uv[1])
                    .isCloseTo(expected[i * 2 + 1], org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    /** Verifies pinhole + radial-tangential distortion against cv::projectPoints. */
    @Test
    void pinholeMatchesOpenCv() {
        PinholeCamera cam =
                new PinholeCamera(
                        1250.5, 1248.25, 960.5, 600.25, -0.28, 0.09, 0.0012, -0.0007, -0.012);
        double[] p = points(1);
        Mat obj = mat(N, 1, CV_64FC3, p);
        Mat k = mat(3, 3, CV_64FC1, cam.fx(), 0, cam.cx(), 0, cam.fy(), cam.cy(), 0, 0, 1);
        Mat d = mat(1, 5, CV_64FC1, cam.k1(), cam.k2(), cam.p1(), cam.p2(), cam.k3());
        Mat zero = mat(3, 1, CV_64FC1, 0, 0, 0);
        Mat img = new Mat();
        projectPoints(obj, zero, zero, k, d, img);
        assertAgrees(cam, p, read(img, N * 2));
    }

    /** Verifies Kannala-Brandt against cv::fisheye::projectPoints. */
    @Test
    void kannalaBrandtMatchesOpenCvFisheye() {
        KannalaBrandtCamera cam =
                new KannalaBrandtCamera(
                        1900, 1898.5, 1920.5, 1090.25, -0.035, 0.0045, -0.0012, 0.0002);
        double[] p = points(2);
        Mat obj = mat(N, 1, CV_64FC3, p);
        Mat k = mat(3, 3, CV_64FC1, cam.fx(), 0, cam.cx(), 0, cam.fy(), cam.cy(), 0, 0, 1);
        Mat d = mat(4, 1, CV_64FC1, cam.k1(), cam.k2(), cam.k3(), cam.k4());
        Mat zero = mat(3, 1, CV_64FC1, 0, 0, 0);
        Mat img = new Mat();
        fisheyeProjectPoints(obj, img, zero, zero, k, d);
        assertAgrees(cam, p, read(img, N * 2));
    }
}

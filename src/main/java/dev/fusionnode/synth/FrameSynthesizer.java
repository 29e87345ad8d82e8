package dev.fusionnode.synth;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.CameraModel;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.LidarPickle;
import dev.fusionnode.io.NumpyArray;
import dev.fusionnode.io.NumpyPickleWriter;
import dev.fusionnode.projection.EncodedLidar;
import dev.fusionnode.projection.LidarProjector;
import dev.fusionnode.sensor.Image;
import dev.fusionnode.sensor.LidarScan;
import dev.fusionnode.sensor.PixelHints;
import dev.fusionnode.sensor.PointCloud;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes one frame: renders the camera and sweeps the LiDAR at their capture times, labels the
 * pixels, converts the sweep into the profile's pickle and {@code lidar_png}, and encodes every
 * file. Stateless between frames and thread-safe, so frames can be made in parallel.
 */
final class FrameSynthesizer {
    /** ZOD keeps points inside the raw image with this margin, pixels. */
    static final int ZOD_MARGIN_PX = 10;

    private final SynthOptions options;
    private final SynthProfile profile;
    private final Calibration calibration;
    private final CameraRenderer renderer;
    private final LidarSimulator lidar;
    private final LidarProjector projector = new LidarProjector(0);

    FrameSynthesizer(SynthOptions options) {
        this.options = options;
        this.profile = options.profile();
        this.calibration = profile.calibration();
        CameraRays rays =
                new CameraRays(
                        calibration.camera(),
                        calibration.width(),
                        calibration.height(),
                        options.width(),
                        options.height());
        this.renderer = new CameraRenderer(rays);
        double[] az = profile.sweptAzimuthDeg();
        this.lidar =
                new LidarSimulator(
                        LidarModel.ofBeams(options.beams(), options.azimuthStepDeg()),
                        az[0],
                        az[1]);
    }

    /** The calibration the frames are made with. */
    Calibration calibration() {
        return calibration;
    }

    /** One frame of a sequence: what it is called and when its sensors fired. */
    record FrameSpec(
            int index,
            String name,
            Sequence sequence,
            int localIndex,
            long cameraTimeNs,
            long lidarTimeNs) {}

    /** A run of frames in one world under one condition. */
    record Sequence(int number, Condition condition, World world, long startTimeNs, long seed) {}

    SynthFrame make(FrameSpec spec) {
        Sequence seq = spec.sequence();
        Condition cond = seq.condition();
        long frameSeed = Noise.hash(seq.seed(), spec.localIndex(), 0xF4A3E);
        double camT = (spec.cameraTimeNs() - seq.startTimeNs()) / 1e9;
        double lidarT = (spec.lidarTimeNs() - seq.startTimeNs()) / 1e9;

        Scene camScene = new Scene(seq.world(), camT, 20, 180);
        Shader shader = new Shader(cond, seq.world().road(), camScene, sunAzimuth(seq.seed()));
        Pose worldFromCamera = camScene.ego().compose(profile.cameraMount());
        CameraRenderer.Rendered r = renderer.render(camScene, shader, worldFromCamera);
        byte[] rgb =
                CameraEffects.apply(
                        r.rgb(), r.width(), r.height(), cond, options.cameraNoise(), frameSeed);
        Image camera = new Image(r.width(), r.height(), 3, rgb);

        int[] lut = new int[SemanticClass.values().length];
        for (SemanticClass c : SemanticClass.values()) {
            lut[c.ordinal()] = profile.classId(c);
        }
        byte[] labels = new byte[r.semantic().length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) lut[r.semantic()[i]];
        }

        Scene lidarScene = new Scene(seq.world(), lidarT, 60, 130);
        Pose worldFromLidar = lidarScene.ego().compose(profile.lidarMount());
        float[] sweep = lidar.sweep(lidarScene, worldFromLidar, cond, frameSeed ^ 0x11DA5L);

        Map<String, byte[]> files = new LinkedHashMap<>();
        String line;
        PickleContent pickle =
                profile == SynthProfile.ZOD ? zodPickle(sweep) : iseautoPickle(sweep);
        LidarScan scan = pickle.scan(spec.name());
        EncodedLidar png =
                profile.encoding()
                        .rasterize(projector, scan, null, options.width(), options.height());
        long[] classPixels = new long[6];
        if (profile == SynthProfile.ZOD) {
            byte[] cameraOnly = labels.clone();
            int strip = Math.max((int) (0.01 * r.height()), 5);
            for (int y = 0; y < r.height(); y++) {
                if (y >= strip && y < r.height() - strip) {
                    continue;
                }
                for (int x = 0; x < r.width(); x++) {
                    int i = y * r.width() + x;
                    if (cameraOnly[i] == 0) {
                        cameraOnly[i] = 1;
                    }
                }
            }
            count(cameraOnly, classPixels);
            String file = spec.name() + ".png";
            line = "camera/" + file;
            files.put(line, png(camera));
            files.put("annotation_camera_only/" + file, png(cameraOnly, r));
            files.put(
                    "annotation_lidar_only/" + file,
                    png(LidarOnlyAnnotation.of(labels, png.image()), r));
            files.put("lidar/" + spec.name() + ".pkl", pickle.bytes());
            files.put("lidar_png/" + file, png(png.image()));
        } else {
            count(labels, classPixels);
            String base = "labeled/" + cond.id() + "/";
            String file = spec.name() + ".png";
            line = base + "camera/" + file;
            files.put(line, png(camera));
            files.put(base + "annotation/" + file, png(labels, r));
            files.put(base + "lidar_png/" + file, png(png.image()));
            files.put(base + "pkl/" + spec.name() + ".pkl", pickle.bytes());
        }
        return new SynthFrame(
                spec.index(),
                spec.name(),
                cond,
                line,
                files,
                classPixels,
                pickle.count(),
                spec.cameraTimeNs(),
                spec.lidarTimeNs());
    }

    private static double sunAzimuth(long seed) {
        return Noise.unit(seed, 17, 23) * 2 * Math.PI;
    }

    private byte[] png(byte[] labels, CameraRenderer.Rendered r) {
        return png(new Image(r.width(), r.height(), 1, labels));
    }

    private static void count(byte[] labels, long[] counts) {
        for (byte b : labels) {
            counts[b & 0xFF]++;
        }
    }

    /** A pickle's arrays: points, per-point [camera id or flag, u, v], and its bytes. */
    private record PickleContent(
            float[] xyz, int[] coords, int count, boolean cameraFrame, byte[] bytes) {
        LidarScan scan(String origin) {
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
                    java.util.Optional.of(hints),
                    origin);
        }
    }

    /** Camera-frame points inside the fisheye image (10 px margin), [1, u, v] raw pixels. */
    private PickleContent zodPickle(float[] sweep) {
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
            if (u < ZOD_MARGIN_PX
                    || v < ZOD_MARGIN_PX
                    || u >= w - ZOD_MARGIN_PX
                    || v >= h - ZOD_MARGIN_PX) {
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
        float[] pts = java.util.Arrays.copyOf(xyz, 3 * k);
        int[] cc = java.util.Arrays.copyOf(coords, 3 * k);
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put(LidarPickle.POINTS_KEY, NumpyArray.float32(pts, k, 3));
        dict.put(LidarPickle.COORDS_KEY, NumpyArray.uint16(cc, k, 3));
        dict.put(LidarPickle.CLASS_KEY, NumpyArray.uint8(new byte[2 * k], k, 2));
        return new PickleContent(pts, cc, k, true, NumpyPickleWriter.dumps(dict));
    }

    /** The whole LiDAR-frame sweep, [flag, u, v]: flag 1 in front (x > 0) and inside the image. */
    private PickleContent iseautoPickle(float[] sweep) {
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
        return new PickleContent(sweep, coords, n, false, NumpyPickleWriter.dumps(dict));
    }

    private byte[] png(Image image) {
        int level = options.pngCompression();
        return level == SynthOptions.FAST_PNG
                ? ImageCodec.encodePng(image)
                : ImageCodec.encodePng(image, level);
    }
}

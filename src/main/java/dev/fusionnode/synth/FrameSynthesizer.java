package dev.fusionnode.synth;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.geometry.EncodedLidar;
import dev.fusionnode.geometry.LidarProjector;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
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

        int[] lut = profile.classIdsByOrdinal();
        byte[] labels = new byte[r.semantic().length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) lut[r.semantic()[i]];
        }

        Scene lidarScene = new Scene(seq.world(), lidarT, 60, 130);
        Pose worldFromLidar = lidarScene.ego().compose(profile.lidarMount());
        float[] sweep = lidar.sweep(lidarScene, worldFromLidar, cond, frameSeed ^ 0x11DA5L);

        Map<String, byte[]> files = new LinkedHashMap<>();
        String line;
        DatasetPickles.Pickle pickle =
                profile == SynthProfile.ZOD
                        ? DatasetPickles.zod(sweep, calibration)
                        : DatasetPickles.iseauto(sweep, calibration);
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

    private byte[] png(Image image) {
        int level = options.pngCompression();
        return level == SynthOptions.FAST_PNG
                ? ImageCodec.encodePng(image)
                : ImageCodec.encodePng(image, level);
    }
}

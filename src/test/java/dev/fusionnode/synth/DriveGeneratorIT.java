package dev.fusionnode.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.geometry.LidarProjector;
import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.JsonCalibration;
import dev.fusionnode.io.LidarPickle;
import dev.fusionnode.io.SplitFile;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.testutil.Peer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriveGeneratorIT {
    @TempDir Path tmp;

    private SynthOptions options(Path out, SynthProfile profile) {
        return options(out, profile, SynthOptions.FAST_PNG);
    }

    private SynthOptions options(Path out, SynthProfile profile, int pngCompression) {
        return new SynthOptions(
                out,
                4,
                11,
                profile,
                List.of(Condition.DAY_FAIR, Condition.NIGHT_RAIN),
                160,
                90,
                profile.defaultBeams(),
                0.4,
                1,
                10,
                1_700_000_000_000_000_000L,
                pngCompression,
                2,
                false);
    }

    @Test
    void sameArgumentsGiveIdenticalBytes() throws IOException {
        // same folder name in two places: the name is recorded in drive.json and synth.json
        Path first = tmp.resolve("a").resolve("drive");
        Path second = tmp.resolve("b").resolve("drive");
        new DriveGenerator(options(first, SynthProfile.ZOD)).generate(n -> {});
        new DriveGenerator(options(second, SynthProfile.ZOD)).generate(n -> {});
        Map<String, byte[]> a = contents(first);
        Map<String, byte[]> b = contents(second);
        assertThat(a.keySet()).isEqualTo(b.keySet()).hasSizeGreaterThan(20);
        a.forEach((k, v) -> assertThat(v).as(k).isEqualTo(b.get(k)));
    }

    @Test
    void pngCompressionShrinksFilesButKeepsEveryPixel() throws IOException {
        Path fast = tmp.resolve("fast");
        Path small = tmp.resolve("small");
        new DriveGenerator(options(fast, SynthProfile.ZOD)).generate(n -> {});
        new DriveGenerator(options(small, SynthProfile.ZOD, 9)).generate(n -> {});
        Map<String, byte[]> a = contents(fast);
        Map<String, byte[]> b = contents(small);
        long fastPng = 0;
        long smallPng = 0;
        for (var e : a.entrySet()) {
            if (!e.getKey().endsWith(".png")) {
                continue;
            }
            fastPng += e.getValue().length;
            smallPng += b.get(e.getKey()).length;
            Image x = ImageCodec.decode(e.getValue(), e.getKey(), ImageCodec.Channels.AS_STORED);
            Image y =
                    ImageCodec.decode(b.get(e.getKey()), e.getKey(), ImageCodec.Channels.AS_STORED);
            assertThat(y.copyPixels()).as(e.getKey()).isEqualTo(x.copyPixels());
        }
        assertThat(smallPng).isLessThan(fastPng);
    }

    @Test
    void zodDriveIsConsistentWithItsOwnReaders() {
        Path root = tmp.resolve("zod");
        new DriveGenerator(options(root, SynthProfile.ZOD)).generate(n -> {});
        Calibration calib = JsonCalibration.read(root.resolve("calibration.json"));
        List<String> lines = SplitFile.read(root.resolve("all.txt"));
        assertThat(lines).hasSize(4);
        LidarProjector projector = new LidarProjector(0);
        double[] uv = new double[2];
        for (int i = 0; i < lines.size(); i++) {
            DatasetFrame f =
                    SynthProfile.ZOD.layout().resolve(root, lines.get(i), null, i, "all.txt");
            assertThat(f.annotation()).isPresent();
            assertThat(f.lidarPng()).isPresent();
            Image ann = ImageCodec.read(f.annotation().get(), ImageCodec.Channels.AS_STORED);
            var px = ann.pixels();
            for (int p = 0; p < px.capacity(); p++) {
                assertThat(px.get(p) & 0xFF).isIn(0, 1, 2, 3, 4, 5);
            }
            LidarPickle pickle = LidarPickle.read(f.lidarPoints().get(), 3848, 2168);
            assertThat(pickle.points().size()).isGreaterThan(100);
            for (int k = 0; k < pickle.points().size(); k += 7) {
                calib.camera()
                        .project(
                                pickle.points().x(k),
                                pickle.points().y(k),
                                pickle.points().z(k),
                                uv);
                assertThat(Math.abs(uv[0] - pickle.hints().u(k))).isLessThanOrEqualTo(1.0);
                assertThat(Math.abs(uv[1] - pickle.hints().v(k))).isLessThanOrEqualTo(1.0);
            }
            LidarScan scan =
                    new LidarScan(
                            "t",
                            0,
                            0,
                            LidarScan.FRAME_CAMERA,
                            pickle.points(),
                            Optional.of(pickle.hints()),
                            "t");
            Image encoded =
                    SynthProfile.ZOD.encoding().rasterize(projector, scan, null, 160, 90).image();
            Image stored = ImageCodec.read(f.lidarPng().get(), ImageCodec.Channels.RGB);
            assertThat(encoded.samePixels(stored)).as(lines.get(i)).isTrue();
        }
    }

    @Test
    void iseautoDriveUsesItsLayoutAndClasses() {
        Path root = tmp.resolve("xod");
        new DriveGenerator(options(root, SynthProfile.ISEAUTO)).generate(n -> {});
        List<String> lines = SplitFile.read(root.resolve("all.txt"));
        assertThat(lines.get(0)).startsWith("labeled/day_fair/camera/sq01_");
        assertThat(root.resolve("calib.txt")).exists();
        for (int i = 0; i < lines.size(); i++) {
            DatasetFrame f =
                    SynthProfile.ISEAUTO.layout().resolve(root, lines.get(i), null, i, "all.txt");
            assertThat(f.lidarPoints().get()).exists();
            Image ann = ImageCodec.read(f.annotation().get(), ImageCodec.Channels.AS_STORED);
            var px = ann.pixels();
            for (int p = 0; p < px.capacity(); p++) {
                assertThat(px.get(p) & 0xFF).isIn(0, 1, 2);
            }
        }
    }

    @Test
    void pythonLoadsEveryPickleWithNumpy() throws Exception {
        Peer.PYTHON_NUMPY.require();
        Path python = Path.of("/usr/bin/python3");
        Path root = tmp.resolve("py");
        new DriveGenerator(options(root, SynthProfile.ZOD)).generate(n -> {});
        String script =
                String.join(
                        "\n",
                        "import glob, pickle, sys, numpy as np",
                        "files = sorted(glob.glob(sys.argv[1] + '/lidar/*.pkl'))",
                        "assert len(files) == 4, files",
                        "for f in files:",
                        "    d = pickle.load(open(f, 'rb'))",
                        "    assert list(d) == ['3d_points', 'camera_coordinates', 'class_instance'], list(d)",
                        "    n = d['3d_points'].shape[0]",
                        "    assert n > 100 and d['3d_points'].dtype == np.float32 and d['3d_points'].shape == (n, 3)",
                        "    assert d['camera_coordinates'].dtype == np.uint16 and d['camera_coordinates'].shape == (n, 3)",
                        "    assert d['class_instance'].dtype == np.uint8 and d['class_instance'].shape == (n, 2)",
                        "    assert (d['camera_coordinates'][:, 0] == 1).all() and (d['3d_points'][:, 2] > 0).all()",
                        "print('ok', len(files))");
        Process p =
                new ProcessBuilder(python.toString(), "-c", script, root.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.strip()).isEqualTo("ok 4");
    }

    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}

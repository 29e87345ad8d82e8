package dev.fusionnode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.TestData;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.KittiScanReader;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.testutil.Console;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Verifies the command line: help, project (KITTI and pickle, PNG and .npy) and inspect. */
class CliIT {
    @TempDir Path dir;

    private static Console.Printed run(String... args) {
        return Console.capture(() -> new CommandLine(new FusionNode()).execute(args));
    }

    /** Verifies that --help lists every command. */
    @Test
    void helpListsCommands() {
        Console.Printed r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("run")
                .contains("project")
                .contains("inspect")
                .contains("benchmark");
    }

    /**
     * Verifies project on KITTI frame 000000: 20,285 points land, and the PNG has the image's size.
     */
    @Test
    void projectKittiToPng() throws Exception {
        Path k = TestData.kitti();
        Path out = dir.resolve("lidar.png");
        Console.Printed r =
                run(
                        "project",
                        "--calib",
                        k.resolve("calib/000000.txt").toString(),
                        "--lidar",
                        k.resolve("velodyne/000000.bin").toString(),
                        "--image",
                        k.resolve("image_2/000000.png").toString(),
                        "--encoding",
                        "zod-basic",
                        "--out",
                        out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("20285 of 115384 points landed in the 1224x370 image");
        Image img = ImageCodec.read(out, ImageCodec.Channels.RGB);
        assertThat(img.width()).isEqualTo(1224);
        assertThat(img.height()).isEqualTo(370);
    }

    /**
     * Verifies project through a rig: the KITTI camera of a rig (its calib file against the LiDAR)
     * gives the same image, byte for byte, as the calib file itself; a nuScenes-style scan (5
     * floats per point) of the same points too.
     */
    @Test
    void projectThroughARigCamera() throws Exception {
        Path k = TestData.kitti();
        Path rig = dir.resolve("rig.json");
        Files.writeString(
                rig,
                new JsonObject()
                        .put("lidars", new JsonArray().add(new JsonObject().put("id", "velodyne")))
                        .put(
                                "cameras",
                                new JsonArray()
                                        .add(
                                                new JsonObject()
                                                        .put("id", "cam2")
                                                        .put(
                                                                "calibration",
                                                                k.resolve("calib/000000.txt")
                                                                        .toAbsolutePath()
                                                                        .toString())
                                                        .put(
                                                                "image",
                                                                new JsonObject()
                                                                        .put("width", 1224)
                                                                        .put("height", 370))
                                                        .put("lidar", "velodyne")))
                        .encode());
        PointCloud cloud = KittiScanReader.read(k.resolve("velodyne/000000.bin"));
        ByteBuffer five = ByteBuffer.allocate(cloud.size() * 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < cloud.size(); i++) {
            five.putFloat(cloud.x(i)).putFloat(cloud.y(i)).putFloat(cloud.z(i));
            five.putFloat(cloud.intensity(i)).putFloat(0);
        }
        Path pcd = dir.resolve("000000.pcd.bin");
        Files.write(pcd, five.array());
        Path viaCalib = dir.resolve("calib.png");
        Path viaRig = dir.resolve("rig.png");
        Path viaPcd = dir.resolve("pcd.png");
        String image = k.resolve("image_2/000000.png").toString();
        String scan = k.resolve("velodyne/000000.bin").toString();
        String calib = k.resolve("calib/000000.txt").toString();
        assertThat(
                        run(
                                        "project",
                                        "--calib",
                                        calib,
                                        "--lidar",
                                        scan,
                                        "--image",
                                        image,
                                        "--out",
                                        viaCalib.toString())
                                .code())
                .isZero();
        Console.Printed r =
                run(
                        "project",
                        "--rig",
                        rig.toString(),
                        "--camera",
                        "cam2",
                        "--lidar",
                        scan,
                        "--image",
                        image,
                        "--out",
                        viaRig.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("20285 of 115384 points landed");
        assertThat(
                        run(
                                        "project",
                                        "--rig",
                                        rig.toString(),
                                        "--camera",
                                        "cam2",
                                        "--lidar",
                                        pcd.toString(),
                                        "--image",
                                        image,
                                        "--out",
                                        viaPcd.toString())
                                .code())
                .isZero();
        assertThat(Files.readAllBytes(viaRig)).isEqualTo(Files.readAllBytes(viaCalib));
        assertThat(Files.readAllBytes(viaPcd)).isEqualTo(Files.readAllBytes(viaCalib));
        Console.Printed unknown =
                run(
                        "project",
                        "--rig",
                        rig.toString(),
                        "--camera",
                        "cam3",
                        "--lidar",
                        scan,
                        "--image",
                        image,
                        "--out",
                        viaRig.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no camera 'cam3'").contains("[cam2]");
    }

    /** Verifies the xyz encoding: a float32 HxWx3 .npy with NaN where no point landed. */
    @Test
    void projectKittiToXyzNpy() throws Exception {
        Path k = TestData.kitti();
        Path out = dir.resolve("xyz.npy");
        Console.Printed r =
                run(
                        "project",
                        "--calib",
                        k.resolve("calib/000001.txt").toString(),
                        "--lidar",
                        k.resolve("velodyne/000001.bin").toString(),
                        "--image",
                        k.resolve("image_2/000001.png").toString(),
                        "--encoding",
                        "xyz",
                        "--out",
                        out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("18630 of 120268 points landed");
        byte[] npy = Files.readAllBytes(out);
        String header =
                new String(
                        npy,
                        10,
                        ((npy[8] & 0xFF) | (npy[9] & 0xFF) << 8),
                        StandardCharsets.US_ASCII);
        assertThat(header).contains("'descr': '<f4'").contains("'shape': (375, 1242, 3)");
        int offset = 10 + header.length();
        assertThat(offset % 64).isZero();
        ByteBuffer b =
                ByteBuffer.wrap(npy, offset, npy.length - offset).order(ByteOrder.LITTLE_ENDIAN);
        int nan = 0;
        int filled = 0;
        for (int i = 0; i < 375 * 1242; i++) {
            float z = b.getFloat(offset + (i * 3 + 2) * 4);
            if (Float.isNaN(z)) {
                nan++;
            } else {
                filled++;
                assertThat(z).isGreaterThan(0.5f);
            }
        }
        assertThat(filled).isPositive().isLessThanOrEqualTo(18630);
        assertThat(nan + filled).isEqualTo(375 * 1242);
    }

    /**
     * Verifies project on a ZOD pickle without calibration (the pickle's own pixel coordinates).
     */
    @Test
    void projectZodPickleWithoutCalibration() {
        Path pkl = TestData.resource("fixtures/zod_dataset/lidar/frame_000001.pkl");
        Console.Printed r =
                run(
                        "project",
                        "--lidar",
                        pkl.toString(),
                        "--encoding",
                        "zod-basic",
                        "--out",
                        dir.resolve("z.png").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("11275 of 11400 points landed in the 1363x768 image");
    }

    /** Verifies that project refuses a .bin without calibration with a clear error. */
    @Test
    void projectBinWithoutCalibrationFails() {
        Console.Printed r =
                run(
                        "project",
                        "--lidar",
                        TestData.kitti().resolve("velodyne/000000.bin").toString(),
                        "--out",
                        dir.resolve("x.png").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--calib or --rig is required");
    }

    /** Verifies that inspect names each kind of file. */
    @Test
    void inspectNamesFiles() {
        Path k = TestData.kitti();
        Console.Printed r =
                run(
                        "inspect",
                        k.resolve("calib/000000.txt").toString(),
                        k.resolve("velodyne/000000.bin").toString(),
                        k.resolve("image_2/000000.png").toString(),
                        TestData.resource("fixtures/zod_dataset/lidar/frame_000002.pkl").toString(),
                        TestData.resource(
                                        "fixtures/zod_dataset/annotation_camera_only/frame_000001.png")
                                .toString(),
                        TestData.resource("fixtures/zod_dataset/all.txt").toString(),
                        "config/rigs/six-camera.json");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out())
                .contains(
                        "KITTI calibration: pinhole camera fx=707.049 fy=707.049 cx=604.081 cy=180.507")
                .contains("KITTI LiDAR scan, 115384 points")
                .contains("RGB image 1224x370")
                .contains("CLFT LiDAR pickle: 11413 points")
                .contains("3d_points: ndarray(shape=[11413, 3], dtype=float32)")
                .contains("single-channel image 1363x768, values (class ids)")
                .contains("split file, 3 frames, layout zod")
                .contains("rig: 6 cameras, 1 LiDARs")
                .contains("looking azimuth -110.0 deg")
                .contains("back_right/back 7.1 deg")
                .contains("checks: ok");
    }

    /**
     * Verifies inspect on a dataset folder (the sample drive) against Pillow + numpy counting the
     * same annotation PNGs: every split row, every class share to 0.01 %.
     */
    @Test
    void inspectDatasetSharesMatchPillow() throws Exception {
        Peer.PYTHON_NUMPY.require();
        Path python = Path.of("/usr/bin/python3");
        Path root = Path.of("recordings/sample-drive");
        Console.Printed r = run("inspect", root.toString());
        assertThat(r.code()).as(r.out()).isZero();
        String script =
                String.join(
                        "\n",
                        "import glob, os, sys, numpy as np",
                        "from PIL import Image",
                        "root = sys.argv[1]",
                        "for split in sorted(glob.glob(root + '/*.txt')):",
                        "    lines = [l.strip() for l in open(split) if l.strip()]",
                        "    c = np.zeros(256, np.int64)",
                        "    for l in lines:",
                        "        a = np.asarray(Image.open(os.path.join(root, l.replace('camera', 'annotation_camera_only'))))",
                        "        c += np.bincount(a.ravel(), minlength=256)",
                        "    print(os.path.basename(split), len(lines), ' '.join('%.2f' % (100 * c[k] / c.sum()) for k in range(6)))");
        Process p =
                new ProcessBuilder(python.toString(), "-c", script, root.toString())
                        .redirectErrorStream(true)
                        .start();
        String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(expected).isZero();
        assertThat(r.out()).contains("layout zod, annotations 'annotation_camera_only'");
        List<String> rows = expected.strip().lines().toList();
        assertThat(rows).hasSize(8);
        for (String row : rows) {
            String[] f = row.split(" ");
            assertThat(r.out())
                    .containsPattern(
                            Pattern.quote(f[0])
                                    + "\\s+"
                                    + f[1]
                                    + "\\s+"
                                    + String.join("\\s+", Arrays.copyOfRange(f, 2, 8))
                                    + "\\s+0\\b");
        }
    }

    /**
     * Verifies predict on a real KITTI frame with a randomly initialised micro CLFT: the mask has
     * the camera's size and only the config's class indices, the logits file is (1, 4, 384, 384)
     * float32, and the overlay is an RGB image of the camera's size.
     */
    @Test
    void predictKittiFrameWithARandomMicroModel() throws Exception {
        Path k = TestData.kitti();
        Path lidar = dir.resolve("lidar.png");
        Console.Printed projected =
                run(
                        "project",
                        "--calib",
                        k.resolve("calib/000000.txt").toString(),
                        "--lidar",
                        k.resolve("velodyne/000000.bin").toString(),
                        "--image",
                        k.resolve("image_2/000000.png").toString(),
                        "--encoding",
                        "zod-basic",
                        "--out",
                        lidar.toString());
        assertThat(projected.code()).as(projected.err()).isZero();
        Path mask = dir.resolve("mask.png");
        Path logits = dir.resolve("logits.npy");
        Path overlay = dir.resolve("overlay.png");
        Console.Printed r =
                run(
                        "predict",
                        "-c",
                        "config/zod/clft/micro_fusion.json",
                        "--rgb",
                        k.resolve("image_2/000000.png").toString(),
                        "--lidar",
                        lidar.toString(),
                        "--out",
                        mask.toString(),
                        "--logits",
                        logits.toString(),
                        "--overlay",
                        overlay.toString(),
                        "--device",
                        "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("vit_micro_patch16_384 cross_fusion random-1")
                .contains("on 1224x370")
                .containsPattern("forward [0-9.]+ ms");
        Image m = ImageCodec.read(mask, ImageCodec.Channels.AS_STORED);
        assertThat(m.channels()).isEqualTo(1);
        assertThat(m.width()).isEqualTo(1224);
        assertThat(m.height()).isEqualTo(370);
        var px = m.pixels();
        for (int i = 0; i < px.capacity(); i++) {
            assertThat(px.get(i) & 0xFF).isLessThan(4);
        }
        byte[] npy = Files.readAllBytes(logits);
        String header = new String(npy, 0, 128, StandardCharsets.ISO_8859_1);
        assertThat(header).contains("'descr': '<f4'").contains("(1, 4, 384, 384)");
        assertThat(npy.length).isGreaterThan(4 * 4 * 384 * 384);
        Image o = ImageCodec.read(overlay, ImageCodec.Channels.RGB);
        assertThat(o.width()).isEqualTo(1224);
    }

    /** Verifies predict on a sample-drive frame and the refusal of a fusion model without LiDAR. */
    @Test
    void predictSampleDriveFrameAndRefuseMissingLidar() {
        Path root = Path.of("recordings/sample-drive");
        Console.Printed r =
                run(
                        "predict",
                        "-c",
                        "config/zod/clft/micro_fusion.json",
                        "--rgb",
                        root.resolve("camera/frame_000010.png").toString(),
                        "--lidar",
                        root.resolve("lidar_png/frame_000010.png").toString(),
                        "--out",
                        dir.resolve("m.png").toString(),
                        "--device",
                        "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("on 320x180");
        Console.Printed missing =
                run(
                        "predict",
                        "-c",
                        "config/zod/clft/micro_fusion.json",
                        "--rgb",
                        root.resolve("camera/frame_000010.png").toString(),
                        "--out",
                        dir.resolve("m2.png").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("cross_fusion model and needs --lidar");
    }
}

package dev.fusionnode.synth;

import dev.fusionnode.calib.Rig;
import dev.fusionnode.drive.DriveMessages;
import dev.fusionnode.drive.DriveWriter;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.io.JsonCalibration;
import dev.fusionnode.mcap.McapWriter;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.replay.DriveTimestamps;
import dev.fusionnode.replay.RigDataset;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A synthetic drive seen through a rig: every camera renders the same world at the same instant
 * from its own place, and the rig's first LiDAR sweeps it once per frame, all the way round. It is
 * written as a recorded drive ({@code drive.mcap}: each camera's images and calibration, the scans;
 * the node replays it) and as a dataset with one folder per camera ({@code <camera>/camera}, {@code
 * <camera>/annotation_camera_only}, {@code <camera>/calibration.json}), beside the rig ({@code
 * rig.json}, every camera placed in the vehicle frame) and {@code synth.json}.
 */
public final class RigDriveGenerator {
    /**
     * What was written.
     *
     * @param frames frames (instants)
     * @param cameras cameras per frame
     * @param bytes bytes written
     * @param seconds time taken
     */
    public record Result(int frames, int cameras, long bytes, double seconds) {
        /** One line for people. */
        public String describe() {
            return String.format(
                    Locale.ROOT,
                    "%d frames x %d cameras (%d images) and %d LiDAR sweeps, %.1f MB in %.1f s",
                    frames,
                    cameras,
                    frames * cameras,
                    frames,
                    bytes / 1e6,
                    seconds);
        }
    }

    private record View(Rig.Camera camera, Pose mount, CameraRenderer renderer) {}

    private final SynthOptions options;
    private final Rig rig;
    private final Rig.Lidar lidar;
    private final List<View> views = new ArrayList<>();
    private final LidarSimulator simulator;
    private final int[] classIds;

    /**
     * @throws IllegalArgumentException when the rig has no LiDAR
     */
    public RigDriveGenerator(SynthOptions options, Rig rig) {
        if (rig.lidars().isEmpty()) {
            throw new IllegalArgumentException("a synthetic rig drive needs a LiDAR in the rig");
        }
        this.options = options;
        this.rig = rig;
        this.lidar = rig.lidars().get(0);
        this.classIds = options.profile().classIdsByOrdinal();
        for (Rig.Camera c : rig.cameras()) {
            CameraRays rays =
                    new CameraRays(
                            c.model(), c.width(), c.height(), options.width(), options.height());
            views.add(new View(c, Pose.of(c.cameraToVehicle()), new CameraRenderer(rays)));
        }
        this.simulator =
                new LidarSimulator(
                        LidarModel.ofBeams(options.beams(), options.azimuthStepDeg()),
                        -180,
                        179.999);
    }

    /** One camera's picture of one frame: the image and its camera-only annotation. */
    private record Shot(Image image, Image annotation) {}

    /** Makes the drive; {@code progress} hears the number of frames done. */
    public Result generate(IntConsumer progress) throws IOException {
        long t0 = System.nanoTime();
        Path out = options.out();
        Files.createDirectories(out);
        List<FrameSynthesizer.FrameSpec> specs = new DriveGenerator(options).plan();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.threads()));
        long bytes = 0;
        try (McapWriter mcap =
                McapWriter.create(
                        out.resolve("drive.mcap"), McapWriter.Compression.ZSTD, 4 << 20)) {
            DriveWriter drive = new DriveWriter(mcap);
            for (View v : views) {
                CalibrationUpdate u =
                        new CalibrationUpdate(
                                v.camera().id(),
                                lidar.id(),
                                Long.MIN_VALUE,
                                rig.calibration(v.camera().id(), lidar.id()));
                drive.write(
                        "/" + v.camera().id() + "/calibration",
                        DriveMessages.CALIBRATION_SCHEMA,
                        0,
                        0,
                        DriveMessages.calibration(u));
                Path dir = out.resolve(v.camera().id());
                for (String sub : List.of("camera", "annotation_camera_only")) {
                    Files.createDirectories(dir.resolve(sub));
                }
                bytes +=
                        write(
                                dir.resolve("calibration.json"),
                                JsonCalibration.toJson(u.calibration().orElseThrow())
                                        .encodePrettily()
                                        .getBytes(StandardCharsets.UTF_8));
            }
            List<String> lines = new ArrayList<>();
            List<DriveTimestamps.Entry> instants = new ArrayList<>();
            for (FrameSynthesizer.FrameSpec spec : specs) {
                FrameSynthesizer.Sequence seq = spec.sequence();
                double camT = (spec.cameraTimeNs() - seq.startTimeNs()) / 1e9;
                double lidarT = (spec.lidarTimeNs() - seq.startTimeNs()) / 1e9;
                long frameSeed = Noise.hash(seq.seed(), spec.localIndex(), 0xF4A3E);
                // every direction matters: the scene reaches as far behind as ahead
                Scene lidarScene = new Scene(seq.world(), lidarT, 130, 130);
                float[] sweep =
                        simulator.sweep(
                                lidarScene,
                                lidarScene.ego().compose(Pose.of(lidar.lidarToVehicle())),
                                seq.condition(),
                                frameSeed ^ 0x11DA5L);
                Scene camScene = new Scene(seq.world(), camT, 180, 180);
                Shader shader =
                        new Shader(
                                seq.condition(),
                                seq.world().road(),
                                camScene,
                                Noise.unit(seq.seed(), 17, 23) * 2 * Math.PI);
                Map<String, Future<Shot>> shots = new LinkedHashMap<>();
                for (View v : views) {
                    shots.put(
                            v.camera().id(),
                            pool.submit(() -> shoot(v, camScene, shader, seq, frameSeed)));
                }
                LidarScan scan =
                        LidarScan.of(
                                lidar.id(),
                                spec.index(),
                                spec.lidarTimeNs(),
                                PointCloud.fromXyz(sweep),
                                "synth");
                bytes += RigDataset.writeScan(out, spec.name(), scan.points());
                instants.add(
                        new DriveTimestamps.Entry(
                                spec.name(), spec.cameraTimeNs(), spec.lidarTimeNs()));
                drive.write(
                        "/" + lidar.id() + "/points",
                        DriveMessages.CLOUD_SCHEMA,
                        spec.index(),
                        spec.lidarTimeNs(),
                        DriveMessages.scan(scan));
                String file = spec.name() + ".png";
                for (var e : shots.entrySet()) {
                    Shot shot = get(e.getValue());
                    Path dir = out.resolve(e.getKey());
                    byte[] png = ImageCodec.encodePng(shot.image());
                    bytes += write(dir.resolve("camera").resolve(file), png);
                    bytes +=
                            write(
                                    dir.resolve("annotation_camera_only").resolve(file),
                                    ImageCodec.encodePng(shot.annotation()));
                    drive.write(
                            "/" + e.getKey() + "/image",
                            DriveMessages.IMAGE_SCHEMA,
                            spec.index(),
                            spec.cameraTimeNs(),
                            DriveMessages.camera(
                                    new CameraFrame(
                                            e.getKey(),
                                            spec.index(),
                                            spec.cameraTimeNs(),
                                            shot.image(),
                                            "synth")));
                }
                lines.add(file);
                progress.accept(lines.size());
            }
            for (View v : views) {
                List<String> split = new ArrayList<>();
                lines.forEach(l -> split.add("camera/" + l));
                bytes += write(out.resolve(v.camera().id()).resolve("all.txt"), split);
            }
            bytes +=
                    RigDataset.writeRoot(
                            out,
                            out.getFileName().toString(),
                            rig,
                            lidar.id(),
                            options.frameRateHz(),
                            instants);
        } finally {
            pool.shutdownNow();
        }
        bytes += Files.size(out.resolve("drive.mcap"));
        bytes += write(out.resolve("synth.json"), provenance(specs.size()));
        return new Result(specs.size(), views.size(), bytes, (System.nanoTime() - t0) / 1e9);
    }

    private Shot shoot(
            View v, Scene scene, Shader shader, FrameSynthesizer.Sequence seq, long frameSeed) {
        Pose worldFromCamera = scene.ego().compose(v.mount());
        CameraRenderer.Rendered r = v.renderer().render(scene, shader, worldFromCamera);
        byte[] rgb =
                CameraEffects.apply(
                        r.rgb(),
                        r.width(),
                        r.height(),
                        seq.condition(),
                        options.cameraNoise(),
                        frameSeed ^ v.camera().id().hashCode());
        byte[] labels = new byte[r.semantic().length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) classIds[r.semantic()[i]];
        }
        return new Shot(
                new Image(r.width(), r.height(), 3, rgb),
                new Image(r.width(), r.height(), 1, labels));
    }

    private static <T> T get(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("rendering failed: " + e.getCause(), e.getCause());
        }
    }

    private byte[] provenance(int frames) {
        JsonArray cameras = new JsonArray();
        rig.cameraIds().forEach(cameras::add);
        return new JsonObject()
                .put("generator", "fusion-node synth --rig")
                .put("frames", frames)
                .put("cameras", cameras)
                .put("lidar", lidar.id())
                .put("width", options.width())
                .put("height", options.height())
                .put("seed", options.seed())
                .put("beams", options.beams())
                .put("azimuthStepDeg", options.azimuthStepDeg())
                .put("cameraNoise", options.cameraNoise())
                .put("frameRateHz", options.frameRateHz())
                .put(
                        "conditions",
                        new JsonArray(options.conditions().stream().map(Condition::id).toList()))
                .put(
                        "replay",
                        "the folder as a rig dataset ({\"recording\": \"<this folder>\"}), or"
                                + " its recording ({\"recording\": \"<this folder>/drive.mcap\"})")
                .encodePrettily()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static long write(Path file, byte[] data) {
        try {
            Files.write(file, data);
            return data.length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static long write(Path file, List<String> lines) {
        return write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}

package dev.fusionnode.synth;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.io.JsonCalibration;
import dev.fusionnode.replay.DriveTimestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Generates a synthetic drive: divides the frames into one sequence per condition (each its own
 * street), makes frames in parallel and writes them in order, then the split files, {@code
 * calibration.json}, {@code timestamps.json}, a {@code drive.json} (so the folder replays as a
 * recording) and {@code synth.json} (how it was made). The same options give byte-identical files.
 */
public final class DriveGenerator {
    /** Camera-to-LiDAR capture skew, as on a real rig where the sweep is stamped at its start. */
    static final long LIDAR_SKEW_NS = -12_000_000L;

    private final SynthOptions options;

    /** A generator for {@code options}. */
    public DriveGenerator(SynthOptions options) {
        this.options = options;
    }

    /**
     * Generates the drive.
     *
     * @param progress called with the number of frames written so far
     * @throws UncheckedIOException when a file cannot be written
     */
    public SynthReport generate(IntConsumer progress) {
        long start = System.nanoTime();
        FrameSynthesizer synthesizer = new FrameSynthesizer(options);
        List<FrameSynthesizer.FrameSpec> specs = plan();
        List<SynthFrame> done = new ArrayList<>();
        long bytes = 0;
        long[] classPixels = new long[6];
        long points = 0;
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        options.threads(),
                        r -> {
                            Thread t = new Thread(r, "synth-worker");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            Deque<Future<SynthFrame>> window = new ArrayDeque<>();
            int next = 0;
            while (next < specs.size() || !window.isEmpty()) {
                while (next < specs.size() && window.size() < 2 * options.threads()) {
                    FrameSynthesizer.FrameSpec spec = specs.get(next++);
                    window.add(pool.submit(() -> synthesizer.make(spec)));
                }
                SynthFrame f = window.poll().get();
                bytes += write(f.files());
                for (int i = 0; i < classPixels.length; i++) {
                    classPixels[i] += f.classPixels()[i];
                }
                points += f.lidarPoints();
                done.add(stripFiles(f));
                progress.accept(done.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("generation interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("frame generation failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Map<String, List<String>> splits =
                SplitPlanner.plan(done, options.profile(), options.seed());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (var e : splits.entrySet()) {
            bytes += writeText(e.getKey(), String.join("\n", e.getValue()) + "\n");
            counts.put(e.getKey(), e.getValue().size());
        }
        Calibration calibration = synthesizer.calibration();
        bytes +=
                writeText(
                        "calibration.json",
                        JsonCalibration.toJson(calibration).encodePrettily() + "\n");
        if (options.profile() == SynthProfile.ISEAUTO) {
            bytes += writeText("calib.txt", kittiCalibration(calibration));
        }
        bytes += writeText("timestamps.json", timestamps(done));
        bytes += writeText("drive.json", driveManifest().encodePrettily() + "\n");
        bytes += writeText("synth.json", provenance().encodePrettily() + "\n");
        double seconds = (System.nanoTime() - start) / 1e9;
        return new SynthReport(
                done.size(), seconds, bytes, classPixels, points / (double) done.size(), counts);
    }

    /** Frame names and capture times, one sequence per condition, contiguous in time. */
    List<FrameSynthesizer.FrameSpec> plan() {
        List<FrameSynthesizer.FrameSpec> specs = new ArrayList<>();
        List<Condition> conditions = options.conditions();
        int k = conditions.size();
        long period = options.periodNs();
        SplittableRandom jitter = new SplittableRandom(options.seed() ^ 0x71AE5L);
        int index = 0;
        for (int s = 0; s < k; s++) {
            int from = (int) ((long) s * options.frames() / k);
            int to = (int) ((long) (s + 1) * options.frames() / k);
            if (to <= from) {
                continue;
            }
            long seqSeed = Noise.hash(options.seed(), s, 0x5E9L);
            double duration = (to - from + 1) / options.frameRateHz();
            long seqStart = options.startTimeNs() + (long) from * period;
            var seq =
                    new FrameSynthesizer.Sequence(
                            s + 1,
                            conditions.get(s),
                            new World(seqSeed, duration, options.unknownObjects()),
                            seqStart,
                            seqSeed);
            for (int i = from; i < to; i++) {
                long cam =
                        options.startTimeNs()
                                + (long) i * period
                                + jitter.nextLong(-300_000, 300_001);
                long lidar = cam + LIDAR_SKEW_NS + jitter.nextLong(-1_000_000, 1_000_001);
                String name =
                        options.profile() == SynthProfile.ZOD
                                ? String.format(Locale.ROOT, "frame_%06d", i)
                                : String.format(Locale.ROOT, "sq%02d_%06d", s + 1, i - from);
                specs.add(new FrameSynthesizer.FrameSpec(index++, name, seq, i - from, cam, lidar));
            }
        }
        return specs;
    }

    private static SynthFrame stripFiles(SynthFrame f) {
        return new SynthFrame(
                f.index(),
                f.name(),
                f.condition(),
                f.splitLine(),
                Map.of(),
                f.classPixels(),
                f.lidarPoints(),
                f.cameraTimeNs(),
                f.lidarTimeNs());
    }

    private long write(Map<String, byte[]> files) {
        long n = 0;
        for (var e : files.entrySet()) {
            Path p = options.out().resolve(e.getKey());
            try {
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write " + p, ex);
            }
            n += e.getValue().length;
        }
        return n;
    }

    private long writeText(String name, String text) {
        return write(Map.of(name, text.getBytes(StandardCharsets.UTF_8)));
    }

    private String timestamps(List<SynthFrame> frames) {
        return DriveTimestamps.format(
                "front",
                "top",
                options.frameRateHz(),
                frames.stream()
                        .map(
                                f ->
                                        new DriveTimestamps.Entry(
                                                f.name(), f.cameraTimeNs(), f.lidarTimeNs()))
                        .toList());
    }

    private JsonObject driveManifest() {
        return new JsonObject()
                .put("name", options.out().getFileName().toString())
                .put("layout", options.profile().layout().id())
                .put("split", "all.txt")
                .put("frameRateHz", options.frameRateHz())
                .put("cameraId", "front")
                .put("lidarId", "top")
                .put("calibration", "calibration.json");
    }

    private JsonObject provenance() {
        JsonArray conds = new JsonArray();
        options.conditions().forEach(c -> conds.add(c.id()));
        return new JsonObject()
                .put("generator", "fusion-node synth")
                .put(
                        "command",
                        String.format(
                                Locale.ROOT,
                                "fusion-node synth --out %s --frames %d --seed %d --profile %s --conditions %s --width %d --height %d --beams %d --azimuth-step %s --camera-noise %s --rate %s%s",
                                options.out().getFileName(),
                                options.frames(),
                                options.seed(),
                                options.profile().id(),
                                String.join(
                                        ",",
                                        options.conditions().stream().map(Condition::id).toList()),
                                options.width(),
                                options.height(),
                                options.beams(),
                                options.azimuthStepDeg(),
                                options.cameraNoise(),
                                options.frameRateHz(),
                                options.pngCompression() == SynthOptions.FAST_PNG
                                        ? ""
                                        : " --png-compression " + options.pngCompression()))
                .put("profile", options.profile().id())
                .put("frames", options.frames())
                .put("seed", options.seed())
                .put("conditions", conds)
                .put("width", options.width())
                .put("height", options.height())
                .put("beams", options.beams())
                .put("azimuthStepDeg", options.azimuthStepDeg())
                .put("cameraNoise", options.cameraNoise())
                .put("unknownObjects", options.unknownObjects())
                .put("frameRateHz", options.frameRateHz())
                .put("pngCompression", options.pngCompression())
                .put("startTimeNs", options.startTimeNs());
    }

    /** KITTI-style {@code calib.txt}: {@code P2 = [K | 0]}, identity {@code R0_rect}. */
    private static String kittiCalibration(Calibration c) {
        var k = c.camera();
        double[] p2 = {k.fx(), 0, k.cx(), 0, 0, k.fy(), k.cy(), 0, 0, 0, 1, 0};
        double[] r0 = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        RigidTransform t = c.lidarToCamera();
        double[] tr = new double[12];
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 4; col++) {
                tr[4 * r + col] = t.get(r, col);
            }
        }
        double[] zero = new double[12];
        return "P0: "
                + join(p2)
                + "\nP1: "
                + join(p2)
                + "\nP2: "
                + join(p2)
                + "\nP3: "
                + join(p2)
                + "\nR0_rect: "
                + join(r0)
                + "\nTr_velo_to_cam: "
                + join(tr)
                + "\nTr_imu_to_velo: "
                + join(zero)
                + "\n";
    }

    private static String join(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.12e", v[i]));
        }
        return sb.toString();
    }
}

package dev.fusionnode.bench;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import dev.fusionnode.inference.ModelLoader;
import dev.fusionnode.inference.TorchThreadGovernor;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.training.ClftTrainer;
import dev.fusionnode.training.TrainingSample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node benchmark model}: the paper's {@code benchmark.py} method (clft-spec §5.4) per
 * config and batch size: random-normal RGB and LiDAR inputs, fp32, no gradients, warm-up forwards,
 * then timed forwards; mean / std / min / max ms, FPS and the parameter count; a JSON result file.
 */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = {
            "Time the forward pass of CLFT models and print milliseconds and frames per second.",
            "Each model and batch size is warmed up, then timed over --runs forward passes, as the"
                    + " paper measures its models."
        })
final class ModelBenchmark implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            split = ",",
            description = "Paper-format configs (comma-separated or repeated).")
    List<Path> configs;

    @Option(
            names = "--batch",
            split = ",",
            defaultValue = "1",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "Device to run on: auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--warmup",
            defaultValue = "10",
            description = "Warm-up forward passes (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--runs",
            defaultValue = "100",
            description = "Timed forward passes (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--out", description = "Write the results as JSON.")
    Path out;

    @Option(
            names = "--against",
            description = {
                "A TorchScript file of the same model (src/test/python/clft_torchscript.py writes",
                "one): its forward through DJL and libtorch is timed alternately with the project's,",
                "and the ratio printed."
            })
    Path against;

    @Option(
            names = "--busy",
            defaultValue = "0",
            description = {
                "Also time each model with this many threads spinning in another process: with",
                "libtorch's threads as set, and with the node's governor fitting them to the cores",
                "left (default: ${DEFAULT-VALUE}, none)."
            })
    int busy;

    @Option(
            names = "--train-steps",
            defaultValue = "0",
            description = {
                "With --busy: also time this many fine-tuning steps (batch of --batch random",
                "samples, the node's trainer and its governor), quiet and under the foreign load",
                "(default: ${DEFAULT-VALUE}, none)."
            })
    int trainSteps;

    @Option(
            names = "--profile",
            description = {
                "Also record one forward of each model (and of the --against file) with libtorch's",
                "profiler into this folder, as Chrome trace files (chrome://tracing, Perfetto)."
            })
    Path profile;

    @Option(
            names = "--threads",
            description = "The libtorch intra-op threads (default: libtorch's own, one per core).")
    Integer threads;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        JsonArray results = new JsonArray();
        Device dev = ModelLoader.device(device);
        System.out.printf(
                Locale.ROOT,
                "%-28s %-22s %5s %12s %9s %9s %9s %9s %8s%n",
                "config",
                "backbone",
                "batch",
                "parameters",
                "mean ms",
                "std ms",
                "min ms",
                "max ms",
                "FPS");
        for (Path c : configs) {
            ClftSpec spec = PaperConfig.read(c).modelSpec();
            try (ClftModel model = ClftModel.random(spec, dev, 0, "benchmark")) {
                for (int b : batches) {
                    double[] ms = time(model, b);
                    JsonObject r = stats(ms);
                    r.put("config", c.toString())
                            .put("backbone", spec.backbone().timmName())
                            .put("mode", spec.mode().id())
                            .put("batch", b)
                            .put("parameters", model.parameterCount())
                            .put("device", dev.toString())
                            .put("fps", b * 1000.0 / r.getDouble("meanMs"));
                    results.add(r);
                    System.out.printf(
                            Locale.ROOT,
                            "%-28s %-22s %5d %,12d %9.1f %9.1f %9.1f %9.1f %8.2f%n",
                            c.getFileName(),
                            spec.backbone().timmName().replace("_patch16_384", ""),
                            b,
                            model.parameterCount(),
                            r.getDouble("meanMs"),
                            r.getDouble("stdMs"),
                            r.getDouble("minMs"),
                            r.getDouble("maxMs"),
                            r.getDouble("fps"));
                    if (profile != null) {
                        profiled(
                                c.getFileName().toString().replaceFirst("\\.json$", "") + "-b" + b,
                                model,
                                b,
                                null);
                    }
                    if (busy > 0) {
                        results.add(underLoad(model, b, r.getDouble("meanMs")));
                        if (trainSteps > 0) {
                            results.add(trainingUnderLoad(model, b));
                        }
                    }
                    if (against != null) {
                        results.add(againstTorchScript(model, b, dev));
                    }
                }
            }
        }
        if (out != null) {
            Files.writeString(
                    out,
                    new JsonObject()
                            .put("warmup", warmup)
                            .put("runs", runs)
                            .put("threads", System.getProperty("ai.djl.pytorch.num_threads", ""))
                            .put("results", results)
                            .encodePrettily());
        }
        return 0;
    }

    private double[] time(ClftModel model, int batch) {
        return time(model, batch, null);
    }

    /** Times forwards; with a governor, it fits the threads before each, as the node does. */
    private double[] time(ClftModel model, int batch, TorchThreadGovernor governor) {
        NDManager root = model.djlModel().getNDManager();
        double[] ms = new double[runs];
        for (int i = 0; i < warmup + runs; i++) {
            try (NDManager m = root.newSubManager()) {
                NDList inputs = randomInputs(m, model, batch);
                if (governor != null) {
                    governor.beforeForward();
                }
                long t0 = System.nanoTime();
                forward(m, model, inputs);
                long t1 = System.nanoTime();
                if (i >= warmup) {
                    ms[i - warmup] = (t1 - t0) / 1e6;
                }
            }
        }
        return ms;
    }

    /**
     * The same forwards with {@code busy} threads spinning in another process: first with the
     * threads as set, then with the node's governor; prints both against the quiet mean.
     */
    private JsonObject underLoad(ClftModel model, int batch, double quietMs) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int set = JniUtils.getNumThreads();
        Process spinner = spinner();
        try {
            double fixed = stats(time(model, batch)).getDouble("meanMs");
            TorchThreadGovernor governor = new TorchThreadGovernor(cores, set);
            double adaptive = stats(time(model, batch, governor)).getDouble("meanMs");
            JniUtils.setNumThreads(set);
            System.out.printf(
                    Locale.ROOT,
                    "  %d foreign busy thread(s) on %d cores: %d threads as set %.1f ms (%.2fx quiet);"
                            + " governed (%d threads) %.1f ms (%.2fx quiet)%n",
                    busy,
                    cores,
                    set,
                    fixed,
                    fixed / quietMs,
                    governor.threads(),
                    adaptive,
                    adaptive / quietMs);
            return new JsonObject()
                    .put("busy", busy)
                    .put("batch", batch)
                    .put("quietMs", quietMs)
                    .put("fixedThreads", set)
                    .put("fixedMs", fixed)
                    .put("governedThreads", governor.threads())
                    .put("governedMs", adaptive);
        } finally {
            spinner.destroyForcibly();
            spinner.waitFor();
        }
    }

    /**
     * Fine-tuning steps of the node's trainer (which governs its threads as the node does), quiet
     * and with {@code busy} foreign threads spinning; prints both and their ratio.
     */
    private JsonObject trainingUnderLoad(ClftModel model, int batch) throws Exception {
        ClftSpec spec = model.spec();
        int size = spec.imageSize();
        Random random = new Random(1);
        List<TrainingSample> samples = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            float[] rgb = new float[3 * size * size];
            float[] lidar = new float[3 * size * size];
            byte[] label = new byte[size * size];
            for (int j = 0; j < rgb.length; j++) {
                rgb[j] = (float) random.nextGaussian();
                lidar[j] = (float) random.nextGaussian();
            }
            for (int j = 0; j < label.length; j++) {
                label[j] = (byte) random.nextInt(spec.classes());
            }
            samples.add(new TrainingSample(rgb, lidar, label, size));
        }
        float[] weights = new float[spec.classes()];
        Arrays.fill(weights, 1f);
        int threads = JniUtils.getNumThreads();
        try (ClftTrainer trainer = new ClftTrainer(model, weights, 1e-5, 0.99, threads)) {
            trainer.trainBatch(samples); // warm-up
            double quiet = stats(trainSteps(trainer, samples)).getDouble("meanMs");
            Process spinner = spinner();
            try {
                double busyMs = stats(trainSteps(trainer, samples)).getDouble("meanMs");
                System.out.printf(
                        Locale.ROOT,
                        "  fine-tuning step, batch %d: quiet %.1f ms; %d foreign busy thread(s),"
                                + " governed %.1f ms (%.2fx quiet)%n",
                        batch,
                        quiet,
                        busy,
                        busyMs,
                        busyMs / quiet);
                return new JsonObject()
                        .put("trainingBatch", batch)
                        .put("busy", busy)
                        .put("trainQuietMs", quiet)
                        .put("trainGovernedMs", busyMs);
            } finally {
                spinner.destroyForcibly();
                spinner.waitFor();
            }
        }
    }

    private double[] trainSteps(ClftTrainer trainer, List<TrainingSample> samples) {
        double[] ms = new double[trainSteps];
        for (int i = 0; i < trainSteps; i++) {
            long t0 = System.nanoTime();
            trainer.trainBatch(samples);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    /** {@code busy} threads spinning in another JVM, once it says they all run. */
    private Process spinner() throws Exception {
        Process p =
                new ProcessBuilder(
                                ProcessHandle.current().info().command().orElse("java"),
                                "-cp",
                                Path.of(
                                                Spin.class
                                                        .getProtectionDomain()
                                                        .getCodeSource()
                                                        .getLocation()
                                                        .toURI())
                                        .toString(),
                                Spin.class.getName(),
                                Integer.toString(busy))
                        .redirectErrorStream(true)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("spinning")) {
            System.out.println(line); // what the spinner's JVM says before it spins
        }
        if (line == null) {
            throw new IllegalStateException("the busy-loop process ended before it spun");
        }
        return p;
    }

    /**
     * The project's forward and the TorchScript file's, alternated {@code runs} times after the
     * warm-up, on the same inputs; prints both and their ratio (means, and bests).
     */
    private JsonObject againstTorchScript(ClftModel model, int batch, Device dev) throws Exception {
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelPath(against)
                        .optEngine("PyTorch")
                        .optDevice(dev)
                        .build();
        double[] ours = new double[runs];
        double[] theirs = new double[runs];
        try (ZooModel<NDList, NDList> ts = criteria.loadModel();
                Predictor<NDList, NDList> predictor = ts.newPredictor()) {
            NDManager root = model.djlModel().getNDManager();
            for (int i = 0; i < warmup + runs; i++) {
                try (NDManager m = root.newSubManager()) {
                    NDList inputs = randomInputs(m, model, batch);
                    // the order turns every round, so that neither side always runs first after
                    // the inputs are made (or always right after the other side's forward)
                    boolean oursFirst = i % 2 == 0;
                    double oursMs = 0;
                    double theirsMs;
                    if (oursFirst) {
                        oursMs = timed(() -> forward(m, model, inputs));
                    }
                    theirsMs = timed(() -> forward(predictor, inputs));
                    if (!oursFirst) {
                        oursMs = timed(() -> forward(m, model, inputs));
                    }
                    if (i >= warmup) {
                        ours[i - warmup] = oursMs;
                        theirs[i - warmup] = theirsMs;
                    }
                }
            }
            if (profile != null) {
                String name = against.getFileName().toString().replaceFirst("\\.pt$", "");
                profiled(name + "-torchscript", model, batch, predictor);
            }
        }
        JsonObject o = stats(ours);
        JsonObject t = stats(theirs);
        System.out.printf(
                Locale.ROOT,
                "  against %s (TorchScript, DJL + libtorch), in turns: project mean %.1f ms (median"
                        + " %.1f, best %.1f, std %.1f), TorchScript mean %.1f ms (median %.1f, best"
                        + " %.1f, std %.1f); ratio %.2fx mean, %.2fx median, %.2fx best%n",
                against.getFileName(),
                o.getDouble("meanMs"),
                o.getDouble("medianMs"),
                o.getDouble("minMs"),
                o.getDouble("stdMs"),
                t.getDouble("meanMs"),
                t.getDouble("medianMs"),
                t.getDouble("minMs"),
                t.getDouble("stdMs"),
                o.getDouble("meanMs") / t.getDouble("meanMs"),
                o.getDouble("medianMs") / t.getDouble("medianMs"),
                o.getDouble("minMs") / t.getDouble("minMs"));
        return new JsonObject()
                .put("against", against.toString())
                .put("batch", batch)
                .put("projectMeanMs", o.getDouble("meanMs"))
                .put("projectMinMs", o.getDouble("minMs"))
                .put("projectMedianMs", o.getDouble("medianMs"))
                .put("torchScriptMeanMs", t.getDouble("meanMs"))
                .put("torchScriptMedianMs", t.getDouble("medianMs"))
                .put("torchScriptMinMs", t.getDouble("minMs"));
    }

    /**
     * One forward of the project's model, or of {@code script} when given, recorded by libtorch's
     * profiler into {@code profile/name.json}.
     */
    private void profiled(String name, ClftModel model, int batch, Predictor<NDList, NDList> script)
            throws Exception {
        Files.createDirectories(profile);
        try (NDManager m = model.djlModel().getNDManager().newSubManager()) {
            NDList inputs = randomInputs(m, model, batch);
            JniUtils.startProfile(false, true, true);
            if (script != null) {
                forward(script, inputs);
            } else {
                forward(m, model, inputs);
            }
            Path file = profile.resolve(name + ".json");
            JniUtils.stopProfile(file.toString());
            System.out.printf(Locale.ROOT, "  profile of one forward -> %s%n", file);
        }
    }

    /** Random-normal RGB and LiDAR inputs of {@code batch} frames, as the paper's benchmark. */
    private static NDList randomInputs(NDManager m, ClftModel model, int batch) {
        int size = model.spec().imageSize();
        Shape shape = new Shape(batch, 3, size, size);
        return new NDList(m.randomNormal(shape), m.randomNormal(shape));
    }

    /** One forward of the project's model, waited for (a value is read back). */
    private static void forward(NDManager m, ClftModel model, NDList inputs) {
        model.block()
                .forward(new ParameterStore(m, false), inputs, false)
                .singletonOrThrow()
                .get(0, 0, 0, 0)
                .getFloat();
    }

    /** One forward of the TorchScript file, waited for; its outputs are closed. */
    private static void forward(Predictor<NDList, NDList> script, NDList inputs) throws Exception {
        try (NDList out = script.predict(new NDList(inputs))) {
            out.singletonOrThrow().get(0, 0, 0, 0).getFloat();
        }
    }

    /** A forward to time. */
    @FunctionalInterface
    private interface Forward {
        void run() throws Exception;
    }

    /** Milliseconds {@code f} took. */
    private static double timed(Forward f) throws Exception {
        long t0 = System.nanoTime();
        f.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Mean, standard deviation, median, min and max of {@code ms}. */
    private static JsonObject stats(double[] ms) {
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double v : ms) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / ms.length;
        double var = 0;
        for (double v : ms) {
            var += (v - mean) * (v - mean);
        }
        return new JsonObject()
                .put("meanMs", mean)
                .put("stdMs", Math.sqrt(var / ms.length))
                .put("medianMs", median(ms))
                .put("minMs", min)
                .put("maxMs", max);
    }
}

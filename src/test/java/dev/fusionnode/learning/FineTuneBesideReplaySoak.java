package dev.fusionnode.learning;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.io.SplitFile;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.SegmentationOutput;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.HttpCalls;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.training.Augmentation;
import dev.fusionnode.training.SampleLoader;
import dev.fusionnode.training.TrainingSample;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A long fine-tune of the demo model while the node replays the sample drive at full speed,
 * losslessly in a loop, and publishes every mask on its embedded MQTT broker: prints the job's
 * steps and skipped steps, the frames segmented and messages published meanwhile, and checks the
 * served model's logits on a fixed frame against the model files before the job and after it. Run
 * from the repository root after {@code mvn test-compile}:
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/classpath.txt) \
 *     FineTuneBesideReplaySoak MINUTES
 * </pre>
 */
public final class FineTuneBesideReplaySoak {
    private FineTuneBesideReplaySoak() {}

    public static void main(String[] args) throws Exception {
        double minutes = Double.parseDouble(args[0]);
        Path dir = Files.createTempDirectory("soak-");
        JsonObject json =
                NodeConfigs.node(
                                new JsonObject()
                                        .put("model", NodeConfigs.demoFusion())
                                        .put("maxBatch", 4)
                                        .put("maxDelayMs", 20))
                        .put("replay", NodeConfigs.sampleDrive(true))
                        .put(
                                "mqtt",
                                new JsonObject().put("embedded", new JsonObject().put("port", 0)))
                        .put("training", NodeConfigs.training(dir).put("accumulateReplay", true));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "soak", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            FineTuneService svc = rt.training().orElseThrow();
            PaperConfig cfg = PaperConfig.read(Path.of("config/zod/clft/demo_fusion.json"));
            ClftSample probe = probeFrame(cfg);
            ClftModel base = rt.inference().orElseThrow().current().model();
            report("before", base, Path.of("models/demo/demo_fusion.pth"), cfg, probe);
            long t0 = System.nanoTime();
            Await.until(() -> svc.store().size() >= 24, 3600, "24 annotated frames");
            System.out.printf("24 annotated frames accumulated in %.0f s%n", secs(t0));
            // one epoch to learn the pace, then a job sized to the remaining minutes
            JsonObject first = runJob(rt, svc, 1);
            double perEpoch = first.getDouble("seconds");
            int epochs = (int) Math.max(1, Math.ceil(minutes * 60 / perEpoch));
            System.out.printf(
                    "one epoch took %.0f s: the long job runs %d epochs%n", perEpoch, epochs);
            ClftModel served = rt.inference().orElseThrow().current().model();
            double segmented0 = metric(rt, "fusionnode_inference_batch_size_sum");
            double published0 = metric(rt, "fusionnode_mqtt_published");
            double dropped0 = metric(rt, "fusionnode_publish_dropped_total");
            JsonObject job = runJob(rt, svc, epochs);
            System.out.printf(
                    "fine-tune %s: %d epochs in %.1f min, %d steps, %d skipped; meanwhile %.0f"
                            + " frames segmented, %.0f MQTT messages published, %.0f dropped;"
                            + " outcome %s%n",
                    job.getString("id"),
                    epochs,
                    job.getDouble("seconds") / 60,
                    job.getJsonObject("result").getLong("steps"),
                    job.getJsonObject("result").getLong("skippedSteps"),
                    metric(rt, "fusionnode_inference_batch_size_sum") - segmented0,
                    metric(rt, "fusionnode_mqtt_published") - published0,
                    metric(rt, "fusionnode_publish_dropped_total") - dropped0,
                    job.getJsonObject("result").encode());
            String version = rt.inference().orElseThrow().current().model().version();
            ClftModel now = rt.inference().orElseThrow().current().model();
            Path file =
                    svc.registry()
                            .find(version)
                            .map(ModelRegistry.Entry::checkpoint)
                            .orElse(Path.of("models/demo/demo_fusion.pth"));
            if (now != served) {
                System.out.println("the job's model was promoted and now serves");
            }
            report("after", now, file, cfg, probe);
        } finally {
            rt.close();
        }
    }

    private static JsonObject runJob(NodeRuntime rt, FineTuneService svc, int epochs)
            throws Exception {
        long t0 = System.nanoTime();
        var started =
                HttpCalls.postJson(
                        rt.httpPort(),
                        "/api/finetune",
                        "{\"epochs\": " + epochs + ", \"batchSize\": 2, \"augment\": true}");
        if (started.statusCode() != 202) {
            throw new IllegalStateException(started.body());
        }
        String id = new JsonObject(started.body()).getString("id");
        Await.until(() -> svc.job(id).orElseThrow().done(), 24 * 3600, "job " + id + " done");
        JsonObject job = svc.job(id).orElseThrow().toJson();
        return job.put("id", id).put("seconds", secs(t0));
    }

    /** The served model's logits on the probe frame against those of the model file. */
    private static void report(
            String when, ClftModel served, Path file, PaperConfig cfg, ClftSample probe)
            throws Exception {
        try (ClftModel fromFile = ClftModel.load(cfg.modelSpec(), file, Device.cpu());
                Predictor<ClftSample, SegmentationOutput> a = served.newPredictor(true);
                Predictor<ClftSample, SegmentationOutput> b = fromFile.newPredictor(true)) {
            float[] x = a.predict(probe).logits();
            float[] y = b.predict(probe).logits();
            double max = 0;
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
            System.out.printf(
                    "%s: served %s, logits on sample-drive frame 0 vs %s: max |diff| %.3g%n",
                    when, served.version(), file, max);
        }
    }

    private static ClftSample probeFrame(PaperConfig cfg) {
        Path root = Path.of("recordings/sample-drive");
        List<String> lines = SplitFile.read(root.resolve("train.txt"));
        TrainingSample s =
                SampleLoader.of(cfg.modelSpec(), cfg, Augmentation.NONE)
                        .load(
                                DatasetLayout.ZOD.resolve(
                                        root,
                                        lines.get(0),
                                        "annotation_camera_only",
                                        0,
                                        "train.txt"),
                                new Random(0));
        return new ClftSample(s.rgb(), s.lidar(), s.size());
    }

    private static double metric(NodeRuntime rt, String name) throws Exception {
        String text = HttpCalls.get(rt.httpPort(), "/metrics").body();
        double sum = 0;
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
                        .matcher(text);
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}

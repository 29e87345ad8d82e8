package dev.fusionnode.bench;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.SegmentedFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node benchmark inference}: the whole pipeline (replay at full speed, sync,
 * projection, batched inference) on a recorded drive, once per maximum batch size: frames per
 * second out of the inference stage, the mean batch actually formed, and the mean end-to-end
 * latency. Measures the stage with the rest of the pipeline competing for the cores.
 */
@Command(
        name = "inference",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the pipeline's throughput for each maximum batch size.",
            "The sample drive is replayed at full speed through inference; it prints frames per"
                    + " second, the mean batch formed and the mean latency."
        })
final class InferenceBenchmark implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            defaultValue = "config/zod/clft/micro_fusion.json",
            description = "Paper-format model config (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(
            names = "--playlist",
            defaultValue = "replay/sample-drive.json",
            description = "Drive to replay, looping (default: ${DEFAULT-VALUE}).")
    Path playlist;

    @Option(
            names = "--batch",
            split = ",",
            defaultValue = "1,2,4",
            description = "Maximum batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(
            names = "--frames",
            defaultValue = "100",
            description = "Timed frames per batch size (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--warmup",
            defaultValue = "20",
            description = "Frames before timing (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--max-delay-ms",
            defaultValue = "50",
            description = "Longest wait to fill a batch, in ms (default: ${DEFAULT-VALUE}).")
    long maxDelayMs;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "Device to run on: auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--batching",
            split = ",",
            defaultValue = "size",
            description = {
                "Batching rules to compare: size (any frames) and instant (the cameras of one",
                "capture instant; for rigs) (default: ${DEFAULT-VALUE})."
            })
    List<String> batchings;

    @Option(
            names = "--cameras-per-instant",
            defaultValue = "0",
            description =
                    "Cameras of one instant for instant batching, 0 for the batch size (default:"
                            + " ${DEFAULT-VALUE}).")
    int camerasPerInstant;

    @Option(names = "--out", description = "Write the results as JSON.")
    Path out;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        JsonArray results = new JsonArray();
        System.out.printf(
                Locale.ROOT,
                "%s on %s, %d warm-up + %d timed frames per size%n",
                config,
                playlist,
                warmup,
                frames);
        System.out.printf(
                Locale.ROOT,
                "%9s %9s %10s %10s %16s%n",
                "batching",
                "maxBatch",
                "frames/s",
                "mean batch",
                "latency ms");
        for (String batching : batchings) {
            for (int b : batches) {
                JsonObject r = measure(b, batching).put("batching", batching);
                results.add(r);
                System.out.printf(
                        Locale.ROOT,
                        "%9s %9d %10.2f %10.2f %16.1f%n",
                        batching,
                        b,
                        r.getDouble("fps"),
                        r.getDouble("meanBatch"),
                        r.getDouble("meanLatencyMs"));
            }
        }
        if (out != null) {
            Files.writeString(out, new JsonObject().put("results", results).encodePrettily());
        }
        return 0;
    }

    private JsonObject measure(int maxBatch, String batching) throws Exception {
        JsonObject json =
                new JsonObject()
                        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                        .put(
                                "replay",
                                new JsonObject()
                                        .put("playlist", playlist.toString())
                                        .put("mode", "lossless")
                                        .put("rate", "max")
                                        .put("startPaused", true))
                        .put(
                                "pipeline",
                                new JsonObject()
                                        .put("maxInFlight", Math.max(4, 2 * maxBatch))
                                        .put("blockingThreads", 1))
                        .put(
                                "inference",
                                new JsonObject()
                                        .put(
                                                "model",
                                                new JsonObject().put("config", config.toString()))
                                        .put("maxBatch", maxBatch)
                                        .put("maxDelayMs", maxDelayMs)
                                        .put("batching", batching)
                                        .put("camerasPerInstant", camerasPerInstant)
                                        .put("device", device))
                        // measures inference alone: no broker, nothing kept on disk
                        .put("mqtt", new JsonObject().put("enabled", false))
                        .put("training", new JsonObject().put("enabled", false));
        NodeOptions options = NodeOptions.fromJson(json, "benchmark", Map.of());
        NodeRuntime rt = NodeRuntime.start(options, true).await(300, TimeUnit.SECONDS);
        try {
            CountDownLatch started = new CountDownLatch(warmup);
            CountDownLatch done = new CountDownLatch(warmup + frames);
            AtomicLong t0 = new AtomicLong();
            LongAdder batchSum = new LongAdder();
            LongAdder latencySum = new LongAdder();
            rt.vertx()
                    .eventBus()
                    .<SegmentedFrame>localConsumer(
                            Addresses.SEGMENTED,
                            m -> {
                                if (started.getCount() == 1) {
                                    t0.set(System.nanoTime());
                                } else if (started.getCount() == 0 && done.getCount() > 0) {
                                    batchSum.add(m.body().batchSize());
                                    latencySum.add(
                                            System.nanoTime() - m.body().fused().ingestNanoTime());
                                }
                                started.countDown();
                                done.countDown();
                            });
            rt.vertx()
                    .eventBus()
                    .request(Addresses.REPLAY_CONTROL, new JsonObject().put("action", "resume"))
                    .await(10, TimeUnit.SECONDS);
            if (!done.await(1800, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the pipeline did not deliver within 30 minutes");
            }
            double seconds = (System.nanoTime() - t0.get()) / 1e9;
            return new JsonObject()
                    .put("maxBatch", maxBatch)
                    .put("fps", frames / seconds)
                    .put("meanBatch", batchSum.doubleValue() / frames)
                    .put("meanLatencyMs", latencySum.doubleValue() / frames / 1e6);
        } finally {
            rt.close();
        }
    }
}

package dev.fusionnode.bench;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.NodeMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node benchmark soak}: the node of a config (default {@code config/node.json}: the
 * sample drive through the demo model, MQTT and WebSocket publishing) replaying losslessly in a
 * loop at full speed for a while; every interval it prints frames in and masks out, the process's
 * resident memory (native included, {@code VmRSS}), heap in use and the end-to-end latency
 * percentiles of that interval; at the end it stops the replay, lets the pipeline drain and
 * compares frames in with masks out.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = {
            "Replay losslessly at full speed for minutes and watch memory and latency.",
            "Every --interval seconds it prints frames in and out, resident memory, heap and"
                    + " latency percentiles; at the end it checks that every frame in gave a mask"
                    + " out."
        })
final class SoakBenchmark implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            defaultValue = "config/node.json",
            description = "Node config (default: ${DEFAULT-VALUE}); ports are moved to free ones.")
    Path config;

    @Option(names = "--minutes", defaultValue = "10", description = "Duration (default: 10).")
    double minutes;

    @Option(
            names = "--interval",
            defaultValue = "60",
            description = "Seconds per line (default: 60).")
    int interval;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        JsonObject json = new JsonObject(Files.readString(config));
        json.getJsonObject("replay", new JsonObject())
                .put("mode", "lossless")
                .put("rate", "max")
                .put("loop", true);
        json.put("http", json.getJsonObject("http", new JsonObject()).put("port", 0));
        JsonObject mqtt = json.getJsonObject("mqtt", new JsonObject());
        if (mqtt.getString("host", "").isEmpty()) {
            mqtt.put("embedded", mqtt.getJsonObject("embedded", new JsonObject()).put("port", 0));
        }
        json.put("mqtt", mqtt);
        json.put("training", new JsonObject().put("enabled", false));
        NodeOptions options = NodeOptions.fromJson(json, config.toString(), Map.of());
        NodeRuntime rt = NodeRuntime.start(options, true).await(180, TimeUnit.SECONDS);
        try {
            System.out.printf(
                    Locale.ROOT,
                    "soak: %s, lossless, max rate, loop, %.1f min, %d cores%n",
                    config,
                    minutes,
                    Runtime.getRuntime().availableProcessors());
            System.out.println(
                    "   t_s  frames_in  masks_out   fps   rss_mb  heap_mb  p50_ms  p99_ms  max_ms");
            long start = System.nanoTime();
            long end = start + (long) (minutes * 60e9);
            long lastOut = 0;
            long lastT = start;
            while (System.nanoTime() < end) {
                Thread.sleep(
                        Math.min(
                                interval * 1000L,
                                Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                JsonObject s = rt.status().snapshot();
                long in = s.getJsonObject("replay").getLong("emitted", 0L);
                long out = s.getJsonObject("output").getLong("frames", 0L);
                long now = System.nanoTime();
                Timer latency = rt.registry().find(NodeMetrics.PIPELINE_LATENCY).timer();
                double p50 = Double.NaN;
                double p99 = Double.NaN;
                double max = Double.NaN;
                if (latency != null) {
                    var snap = latency.takeSnapshot();
                    for (ValueAtPercentile v : snap.percentileValues()) {
                        if (v.percentile() == 0.5) {
                            p50 = v.value(TimeUnit.MILLISECONDS);
                        } else if (v.percentile() == 0.99) {
                            p99 = v.value(TimeUnit.MILLISECONDS);
                        }
                    }
                    max = snap.max(TimeUnit.MILLISECONDS);
                }
                Runtime r = Runtime.getRuntime();
                System.out.printf(
                        Locale.ROOT,
                        "%6.0f %10d %10d %5.1f %8.0f %8.0f %7.1f %7.1f %7.1f%n",
                        (now - start) / 1e9,
                        in,
                        out,
                        (out - lastOut) / ((now - lastT) / 1e9),
                        rssMb(),
                        (r.totalMemory() - r.freeMemory()) / 1048576.0,
                        p50,
                        p99,
                        max);
                lastOut = out;
                lastT = now;
            }
            rt.vertx()
                    .eventBus()
                    .request(Addresses.REPLAY_CONTROL, new JsonObject().put("action", "pause"))
                    .await(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long in;
            long out;
            do {
                Thread.sleep(200);
                JsonObject s = rt.status().snapshot();
                in = s.getJsonObject("replay").getLong("emitted", 0L);
                out = s.getJsonObject("output").getLong("frames", 0L);
            } while (out < in && System.nanoTime() < deadline);
            System.out.printf(
                    Locale.ROOT,
                    "drained: frames in %d, masks out %d: %s%n",
                    in,
                    out,
                    in == out ? "equal" : "NOT equal");
            return in == out ? 0 : 1;
        } finally {
            rt.close();
        }
    }

    /** Resident set size of this process in MiB (Linux), NaN elsewhere. */
    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return Double.NaN;
    }
}

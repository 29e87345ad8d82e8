package dev.fusionnode.bench;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node benchmark latency}: latency as a subscriber sees it. The node of a config
 * replays live at the drive's rate (the sample drive: 10 Hz) and {@code mosquitto_sub} takes every
 * frame's meta message with its arrival time; from the meta's per-stage times and publish time it
 * prints, per stage, p50 and p99: from the camera frame entering the pipeline to the mask's meta at
 * the subscriber.
 */
@Command(
        name = "latency",
        mixinStandardHelpOptions = true,
        description = {
            "Measure latency per stage as an MQTT subscriber sees it.",
            "It replays live at the drive's rate, takes every meta message with mosquitto_sub and"
                    + " prints p50 and p99 of each stage and of the whole, from the camera frame"
                    + " entering the pipeline to its meta at the subscriber."
        })
final class LatencyBenchmark implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            defaultValue = "config/node.json",
            description = "Node config (default: ${DEFAULT-VALUE}); ports are moved to free ones.")
    Path config;

    @Option(
            names = "--seconds",
            defaultValue = "60",
            description = "Seconds measured (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
            names = "--warmup",
            defaultValue = "150",
            description =
                    "Seconds run before measuring (default: ${DEFAULT-VALUE}; at 10 frames/s the"
                            + " JIT compiler still compiles the per-message code for the first"
                            + " two minutes).")
    int warmup;

    @Option(
            names = "--rate",
            defaultValue = "1.0",
            description = "Replay rate, 1.0 being the drive's own (default: ${DEFAULT-VALUE}).")
    String rate;

    @Option(
            names = "--frames",
            description =
                    "Also write every measured mask to this CSV file: arrival time, camera,"
                            + " sequence number, each stage in ms and the ms of garbage collection"
                            + " within the mask's time, to see which frames were slow and why.")
    Path frames;

    /** One mask's stage times, with when it arrived (epoch ns) and which frame it was. */
    private record Sample(double[] ms, long arrivalNs, String camera, long seq) {}

    private static final String[] STAGES = {
        "sync and projection",
        "batch queue",
        "preprocess",
        "forward",
        "postprocess",
        "encode",
        "MQTT delivery",
        "end to end"
    };

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        JsonObject json = new JsonObject(Files.readString(config));
        json.put(
                "replay",
                json.getJsonObject("replay", new JsonObject())
                        .put("mode", "live")
                        .put("rate", rate)
                        .put("loop", true));
        json.put("http", json.getJsonObject("http", new JsonObject()).put("port", 0));
        JsonObject mqtt = json.getJsonObject("mqtt", new JsonObject());
        mqtt.put("embedded", mqtt.getJsonObject("embedded", new JsonObject()).put("port", 0));
        json.put("mqtt", mqtt);
        json.put("training", new JsonObject().put("enabled", false));
        NodeOptions options = NodeOptions.fromJson(json, config.toString(), Map.of());
        NodeRuntime rt = NodeRuntime.start(options, true).await(180, TimeUnit.SECONDS);
        List<Sample> samples = new ArrayList<>();
        String collections = "";
        List<GcPauses.Pause> pauses = List.of();
        long compiling = -1;
        Process sub = null;
        try {
            int port = rt.mqtt().orElseThrow().embeddedPort();
            sub =
                    new ProcessBuilder(
                                    "mosquitto_sub",
                                    "-h",
                                    "127.0.0.1",
                                    "-p",
                                    Integer.toString(port),
                                    "-t",
                                    options.mqtt().topicPrefix() + "/+/meta",
                                    "-F",
                                    "%U %p")
                            .redirectErrorStream(true)
                            .start();
            Process reading = sub;
            long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            Thread reader =
                    new Thread(
                            () -> read(reading, measureFrom, samples), "latency-benchmark-reader");
            reader.setDaemon(true);
            reader.start();
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            long compilingBefore = compilationMs();
            try (GcPauses gc = new GcPauses()) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                collections = gc.summary();
                pauses = gc.pauses();
            }
            compiling = compilingBefore < 0 ? -1 : compilationMs() - compilingBefore;
        } finally {
            if (sub != null) {
                sub.destroy();
            }
            rt.close();
        }
        List<Sample> taken;
        synchronized (samples) {
            taken = List.copyOf(samples);
        }
        System.out.printf(
                Locale.ROOT,
                "latency at the subscriber: %s, live, rate %s, %d s after %d s of warm-up, %d masks"
                        + " (mosquitto_sub on <prefix>/+/meta)%n",
                config,
                rate,
                seconds,
                warmup,
                taken.size());
        double[][] slowest = slowestPercent(taken);
        System.out.printf(
                Locale.ROOT,
                "%-26s %9s %9s %9s %12s%n",
                "stage",
                "p50 ms",
                "p99 ms",
                "p99/p50",
                "slowest 1%");
        for (int k = 0; k < STAGES.length; k++) {
            double[] v = new double[taken.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = taken.get(i).ms()[k];
            }
            Arrays.sort(v);
            double p50 = v.length == 0 ? Double.NaN : v[v.length / 2];
            double p99 = v.length == 0 ? Double.NaN : v[(int) (v.length * 0.99)];
            System.out.printf(
                    Locale.ROOT,
                    "%-26s %9.2f %9.2f %8.2fx %12.2f%n",
                    STAGES[k],
                    p50,
                    p99,
                    p99 / p50,
                    mean(slowest, k));
        }
        System.out.println(
                "(slowest 1%: each stage's mean over the frames whose end-to-end time is at or above"
                        + " its p99, i.e. where the tail's time went)");
        System.out.println("garbage collections while measured: " + collections);
        System.out.println(
                "JIT compilation while measured: "
                        + (compiling < 0 ? "not reported by this JVM" : compiling + " ms"));
        if (frames != null) {
            writeFrames(frames, taken, pauses);
            System.out.println("every mask: " + frames);
        }
        return taken.isEmpty() ? 1 : 0;
    }

    /** The JIT compilers' accumulated time in ms, or -1 where the JVM does not report it. */
    private static long compilationMs() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported()
                ? jit.getTotalCompilationTime()
                : -1;
    }

    /**
     * Writes one CSV row per mask in arrival order: seconds from the first arrival, camera,
     * sequence number, each stage, and the milliseconds of garbage collection that fell within the
     * mask's time from capture to arrival.
     */
    private static void writeFrames(Path file, List<Sample> taken, List<GcPauses.Pause> pauses)
            throws IOException {
        long origin = taken.isEmpty() ? 0 : taken.get(0).arrivalNs();
        StringBuilder csv = new StringBuilder("arrival s,camera,seq");
        for (String stage : STAGES) {
            csv.append(',').append(stage).append(" ms");
        }
        csv.append(",gc ms\n");
        for (Sample s : taken) {
            long from = s.arrivalNs() - (long) (s.ms()[STAGES.length - 1] * 1e6);
            double gcMs = 0;
            for (GcPauses.Pause p : pauses) {
                if (p.collector().contains("Cycles")) {
                    continue; // ZGC's concurrent cycles: not a pause
                }
                long start = p.startEpochMs() * 1_000_000L;
                long end = start + p.durationMs() * 1_000_000L;
                gcMs += Math.max(0, Math.min(end, s.arrivalNs()) - Math.max(start, from)) / 1e6;
            }
            csv.append(String.format(Locale.ROOT, "%.3f", (s.arrivalNs() - origin) / 1e9))
                    .append(',')
                    .append(s.camera())
                    .append(',')
                    .append(s.seq());
            for (double v : s.ms()) {
                csv.append(String.format(Locale.ROOT, ",%.3f", v));
            }
            csv.append(String.format(Locale.ROOT, ",%.0f%n", gcMs));
        }
        Files.writeString(file, csv);
    }

    /** The samples whose end-to-end time (the last stage) is at or above its p99. */
    private static double[][] slowestPercent(List<Sample> taken) {
        int total = STAGES.length - 1;
        return taken.stream()
                .sorted((a, b) -> Double.compare(b.ms()[total], a.ms()[total]))
                .limit(Math.max(1, taken.size() - (int) (taken.size() * 0.99)))
                .map(Sample::ms)
                .toArray(double[][]::new);
    }

    private static double mean(double[][] rows, int column) {
        return Arrays.stream(rows).mapToDouble(r -> r[column]).average().orElse(Double.NaN);
    }

    /** Takes each meta line ({@code <arrival seconds> <json>}) after the warm-up. */
    private static void read(Process sub, long measureFrom, List<Sample> out) {
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int space = line.indexOf(' ');
                if (space < 0 || System.nanoTime() < measureFrom) {
                    continue;
                }
                long arrivalNs =
                        new BigDecimal(line.substring(0, space)).movePointRight(9).longValue();
                JsonObject meta = new JsonObject(line.substring(space + 1));
                JsonObject l = meta.getJsonObject("latencyMs");
                double fusion = l.getDouble("fusion");
                double queue = l.getDouble("queue");
                double pre = l.getDouble("preprocess");
                double fwd = l.getDouble("forward");
                double post = l.getDouble("postprocess");
                double e2e = l.getDouble("endToEnd");
                double delivery = (arrivalNs - meta.getLong("publishTimeNs")) / 1e6;
                double encode = e2e - fusion - queue - pre - fwd - post;
                double[] ms = {fusion, queue, pre, fwd, post, encode, delivery, e2e + delivery};
                Sample s = new Sample(ms, arrivalNs, meta.getString("camera"), meta.getLong("seq"));
                synchronized (out) {
                    out.add(s);
                }
            }
        } catch (Exception e) {
            // the subscriber ended
        }
    }
}

package dev.fusionnode.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code fusion-node benchmark}: benchmarks that print figures. */
@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        description = "Run a benchmark that prints measured figures.",
        subcommands = {
            ProjectionBenchmark.class,
            ModelBenchmark.class,
            InferenceBenchmark.class,
            PublishBenchmark.class,
            VelodyneBenchmark.class,
            SoakBenchmark.class,
            RecordBenchmark.class,
            PreprocessBenchmark.class,
            LatencyBenchmark.class
        })
public final class BenchmarkCommand implements Runnable {
    @Spec CommandSpec spec;

    /** Without a subcommand: says which exist. */
    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "name a benchmark: projection, model, inference, publish, velodyne or soak");
    }
}

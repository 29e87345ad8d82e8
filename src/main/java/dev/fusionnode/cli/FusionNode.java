package dev.fusionnode.cli;

import dev.fusionnode.bench.BenchmarkCommand;
import dev.fusionnode.inference.TorchMemory;
import dev.fusionnode.publish.mqtt.BrokerThreads;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fusion-node} command line: {@code java -jar target/fusion-node.jar <command>}. */
@Command(
        name = "fusion-node",
        mixinStandardHelpOptions = true,
        version = "fusion-node 0.1.0",
        description = {
            "A reactive camera + LiDAR perception node with CLFT segmentation.",
            "Run a command with --help for its options."
        },
        subcommands = {
            RunCommand.class,
            ConfigCommand.class,
            ProjectCommand.class,
            InspectCommand.class,
            SynthCommand.class,
            PredictCommand.class,
            TrainCommand.class,
            TestCommand.class,
            AutolabelCommand.class,
            EnsembleCommand.class,
            VisualizeCommand.class,
            CurvesCommand.class,
            RecordCommand.class,
            ExportCommand.class,
            VelodyneReplayCommand.class,
            VelodyneDecodeCommand.class,
            BenchmarkCommand.class,
            CommandLine.HelpCommand.class
        })
public final class FusionNode implements Runnable {

    /** Entry point. */
    public static void main(String[] args) {
        BrokerThreads.configure(); // before anything makes a Netty event loop group
        Logging.configure();
        TorchMemory.keepFreedMemory();
        int code = new CommandLine(new FusionNode()).execute(args);
        if (code != 0 || !RunCommand.keepsRunning()) {
            System.exit(code);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}

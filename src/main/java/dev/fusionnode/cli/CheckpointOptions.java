package dev.fusionnode.cli;

import ai.djl.Device;
import dev.fusionnode.inference.ModelLoader;
import dev.fusionnode.model.config.PaperPaths;
import dev.fusionnode.training.ModelEvaluation;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The checkpoint and device of the commands that evaluate a trained model ({@code test}, {@code
 * visualize}).
 */
final class CheckpointOptions {
    @Option(
            names = "--checkpoint",
            description = "The .pth checkpoint to use (default: the best kept under <logdir>).")
    Path checkpoint;

    @Option(
            names = "--device",
            defaultValue = "cpu",
            description = "Device to run on: cpu, gpu or auto (default: ${DEFAULT-VALUE}).")
    String device;

    /** The given checkpoint, or the best one kept by validation mIoU under the config's logdir. */
    Path checkpoint(PaperPaths paths) {
        return checkpoint != null ? checkpoint : ModelEvaluation.bestCheckpoint(paths.logDir());
    }

    /** The device. */
    Device device() {
        return ModelLoader.device(device);
    }
}

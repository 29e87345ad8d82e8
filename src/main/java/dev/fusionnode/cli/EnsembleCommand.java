package dev.fusionnode.cli;

import ai.djl.Device;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.BadInputException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fusion-node ensemble}: three 2-class specialists (vehicle, sign, human; for example the
 * versions kept by {@code "specialist"} fine-tune jobs) into the specialist ensemble of clft-spec
 * §3.10, a {@code .pth} that {@code inference.model} and {@code training.teacher.model} load with
 * the members' config.
 */
@Command(
        name = "ensemble",
        mixinStandardHelpOptions = true,
        description = {
            "Combine vehicle, sign and human 2-class specialists into one ensemble model.",
            "The ensemble segments background, vehicle, sign and human, and can serve as the"
                    + " teacher of the learning loop."
        })
final class EnsembleCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            description = "A member's paper config (2 classes; the structure of all three).")
    Path config;

    @Option(names = "--vehicle", required = true, description = "Vehicle specialist .pth.")
    Path vehicle;

    @Option(names = "--sign", required = true, description = "Sign specialist .pth.")
    Path sign;

    @Option(names = "--human", required = true, description = "Human specialist .pth.")
    Path human;

    @Option(names = "--out", required = true, description = "Ensemble .pth to write.")
    Path out;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        Map<String, ClftModel> members = new LinkedHashMap<>();
        try {
            ClftSpec spec = PaperConfig.read(config).modelSpec();
            if (spec.classes() != 2) {
                System.err.println(
                        "ensemble: "
                                + config
                                + " has "
                                + spec.classes()
                                + " classes; members have 2");
                return 2;
            }
            members.put("vehicle", ClftModel.load(spec, vehicle, Device.cpu()));
            members.put("sign", ClftModel.load(spec, sign, Device.cpu()));
            members.put("human", ClftModel.load(spec, human, Device.cpu()));
            ClftModel.saveEnsemble(out, members);
            try (ClftModel check = ClftModel.load(spec, out, Device.cpu())) {
                System.out.printf(
                        "ensemble of %s -> %s (%d parameters, classes background, vehicle, sign,"
                                + " human)%n",
                        members.keySet(), out, check.parameterCount());
            }
            return 0;
        } catch (BadInputException | IllegalArgumentException e) {
            System.err.println("ensemble: " + e.getMessage());
            return 2;
        } finally {
            members.values().forEach(ClftModel::close);
        }
    }
}

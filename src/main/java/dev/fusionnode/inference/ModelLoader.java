package dev.fusionnode.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.fusionnode.geometry.ModelInputs;
import dev.fusionnode.model.ClftMode;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.model.EnsembleBlock;
import dev.fusionnode.model.config.PaperConfig;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the model the options name, on the device they ask for. */
public final class ModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    private ModelLoader() {}

    /**
     * The device: {@code gpu} (fails without one), {@code cpu}, or {@code auto} (the first GPU when
     * present, else the CPU with one WARN saying why).
     */
    public static Device device(String preference) {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        return switch (preference) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalStateException(
                            "inference.device is 'gpu' but libtorch sees no CUDA device (is the"
                                    + " cuda profile built and a driver present?)");
                }
                yield Device.gpu();
            }
            default -> {
                if (gpus == 0) {
                    LOG.warn(
                            "no CUDA device visible to libtorch (CPU build or no driver):"
                                    + " inference runs on the CPU");
                    yield Device.cpu();
                }
                yield Device.gpu();
            }
        };
    }

    /** The structure of the model the options describe (without a paper config). */
    public static ClftSpec spec(ModelOptions m) {
        return ClftSpec.paper(m.backbone(), m.classes(), ClftMode.fromId(m.mode()))
                .withResampleDim(m.resampleDim())
                .withImageSize(m.imageSize());
    }

    /**
     * Loads (or randomly initialises) the served model: structure and RGB normalisation from the
     * paper config when one is given, else from the options.
     */
    public static ServedModel load(InferenceOptions options) {
        ModelOptions m = options.model();
        Optional<PaperConfig> paper = m.config().map(PaperConfig::read);
        ClftSpec spec = paper.map(PaperConfig::modelSpec).orElseGet(() -> spec(m));
        Device device = device(options.device());
        ClftModel model;
        if (m.checkpoint().isPresent()) {
            model = ClftModel.load(spec, m.checkpoint().get(), device);
        } else {
            LOG.warn(
                    "no checkpoint configured (inference.model.checkpoint): serving a randomly"
                            + " initialised {} (seed {}); its masks are meaningless",
                    spec.backbone().timmName(),
                    m.seed());
            model = ClftModel.random(spec, device, m.seed(), "random-" + m.seed());
        }
        if (options.fp16()) {
            if (device.isGpu()) {
                model = model.toHalf();
            } else {
                LOG.warn(
                        "inference.fp16 is ignored on the CPU (libtorch's half kernels are CPU-slow)");
            }
        }
        ModelClasses classes =
                model.block() instanceof EnsembleBlock
                        ? ModelClasses.ZOD
                        : paper.map(p -> new ModelClasses(p.classNames(), p.classColors()))
                                .orElseGet(() -> ModelClasses.forCount(spec.classes()));
        String provenance =
                "config "
                        + m.config().map(Object::toString).orElse("(none)")
                        + ", "
                        + m.checkpoint()
                                .map(c -> "checkpoint " + c)
                                .orElse("random weights, seed " + m.seed());
        return new ServedModel(
                model, preprocessor(spec, paper, m.normalization()), classes, provenance);
    }

    private static InputPreprocessor preprocessor(
            ClftSpec spec, Optional<PaperConfig> paper, String normalization) {
        if (paper.isPresent()) {
            return InputPreprocessor.of(spec, paper.get());
        }
        boolean imagenet = normalization.equals("imagenet");
        return new InputPreprocessor(
                spec,
                imagenet ? ModelInputs.IMAGENET_MEAN : ModelInputs.ZOD_MEAN,
                imagenet ? ModelInputs.IMAGENET_STD : ModelInputs.ZOD_STD);
    }
}

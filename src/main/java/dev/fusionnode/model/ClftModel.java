package dev.fusionnode.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.fusionnode.inference.ClftSample;
import dev.fusionnode.inference.ClftTranslator;
import dev.fusionnode.inference.SegmentationOutput;

/**
 * A CLFT model ready to serve: the DJL {@link Model} holding a {@link ClftBlock}, its structure,
 * device and a version string. Predictors are made per worker thread ({@link #newPredictor}); the
 * model is closed once no predictor uses it.
 */
public final class ClftModel implements AutoCloseable {
    private final Model model;
    private final ClftBlock block;
    private final String version;
    private final DataType dataType;

    private ClftModel(Model model, ClftBlock block, String version, DataType dataType) {
        this.model = model;
        this.block = block;
        this.version = version;
        this.dataType = dataType;
    }

    /**
     * A model with freshly initialised weights (timm-like: N(0, 0.02) linears, He convs), seeded so
     * that the same seed gives the same weights.
     */
    public static ClftModel random(ClftSpec spec, Device device, long seed, String version) {
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        Model m = Model.newInstance("clft", device, "PyTorch");
        ClftBlock b = new ClftBlock(spec);
        m.setBlock(b);
        b.initialize(
                m.getNDManager(),
                DataType.FLOAT32,
                new Shape(1, 3, spec.imageSize(), spec.imageSize()));
        return new ClftModel(m, b, version, DataType.FLOAT32);
    }

    /** Wraps an initialised block (weights loaded by the caller). */
    static ClftModel of(Model m, ClftBlock b, String version) {
        return new ClftModel(m, b, version, DataType.FLOAT32);
    }

    /** A new predictor (not thread-safe: one per worker thread). */
    public Predictor<ClftSample, SegmentationOutput> newPredictor(boolean keepLogits) {
        return model.newPredictor(new ClftTranslator(keepLogits, dataType));
    }

    /** The structure. */
    public ClftSpec spec() {
        return block.spec();
    }

    /** The block (for training and checkpoint export). */
    public ClftBlock block() {
        return block;
    }

    /** The DJL model. */
    public Model djlModel() {
        return model;
    }

    /** Version string published with every mask. */
    public String version() {
        return version;
    }

    /** Device of the weights. */
    public Device device() {
        return model.getNDManager().getDevice();
    }

    /** Number of parameters (sum of element counts). */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : StateDictNames.of(block).values()) {
            n += p.getShape().size();
        }
        return n;
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        model.close();
    }
}

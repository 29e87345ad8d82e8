package dev.fusionnode.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.fusionnode.model.checkpoint.Checkpoint;
import dev.fusionnode.model.checkpoint.PthWriter;
import dev.fusionnode.model.checkpoint.TorchTensor;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A CLFT model ready to serve: the DJL {@link Model} holding a {@link ClftBlock}, its structure,
 * device and a version string. Predictors are made per worker thread ({@link #newPredictor}); the
 * model is closed once no predictor uses it.
 */
public final class ClftModel implements AutoCloseable {
    /** State-dict prefix of the segmentation head's last layer, one output row per class. */
    static final String HEAD_LAST = "head_segmentation.head.4.";

    private final Model model;
    private final Block block;
    private final ClftSpec spec;
    private final String version;
    private final DataType dataType;

    private ClftModel(Model model, Block block, ClftSpec spec, String version, DataType dataType) {
        this.model = model;
        this.block = block;
        this.spec = spec;
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
        return new ClftModel(m, b, spec, version, DataType.FLOAT32);
    }

    /**
     * The specialist ensemble of an ensemble {@code .pth} (clft-spec §3.10): three members of
     * structure {@code memberSpec} (2 classes); the model's classes are background, vehicle, sign,
     * human.
     */
    public static ClftModel ensemble(
            ClftSpec memberSpec, Checkpoint ckpt, Device device, String v) {
        Model m = Model.newInstance("clft-ensemble", device, "PyTorch");
        EnsembleBlock b = new EnsembleBlock(memberSpec);
        m.setBlock(b);
        int s = memberSpec.imageSize();
        b.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, 3, s, s));
        ClftModel model =
                new ClftModel(
                        m,
                        b,
                        memberSpec.withClasses(EnsembleBlock.CLASSES.size()),
                        v,
                        DataType.FLOAT32);
        try {
            Map<String, Checkpoint> members = ckpt.ensembleMembers();
            for (String name : EnsembleBlock.MEMBERS) {
                Checkpoint c = members.get(name);
                if (c == null) {
                    throw new BadInputException(
                            BadInputReason.MALFORMED_CHECKPOINT,
                            ckpt.source(),
                            "the ensemble has no '" + name + "' model; it has " + members.keySet());
                }
                StateDicts.load(
                        b.member(name), c.stateDict(), "", ckpt.source() + " [" + name + "]");
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /**
     * A model with the weights of a {@code .pth} checkpoint (a bare state dict or the trainer's
     * {@code {epoch, model_state_dict, optimizer_state_dict}}); keys and shapes must match {@code
     * spec} exactly.
     *
     * @throws BadInputException if the file is not a usable checkpoint or does not fit the model
     *     (the message says which keys)
     */
    public static ClftModel load(ClftSpec spec, Path checkpoint, Device device) {
        if (checkpoint.getFileName().toString().endsWith(".pt")) {
            return torchScript(spec, checkpoint, device, stem(checkpoint));
        }
        return load(spec, checkpoint, Checkpoint.load(checkpoint), device);
    }

    private static String stem(Path checkpoint) {
        return checkpoint.getFileName().toString().replaceFirst("\\.(pth|pt)$", "");
    }

    /** The model of an already read {@code .pth} checkpoint ({@code checkpoint} names it). */
    private static ClftModel load(ClftSpec spec, Path checkpoint, Checkpoint ckpt, Device device) {
        String stem = stem(checkpoint);
        if (ckpt.kind() == Checkpoint.Kind.ENSEMBLE) {
            return ensemble(spec, ckpt, device, stem);
        }
        Map<String, TorchTensor> sd = ckpt.stateDict();
        String version =
                ckpt.epoch().isPresent() ? stem + "@epoch" + ckpt.epoch().getAsInt() : stem;
        ClftModel model = random(spec, device, 0, version);
        try {
            StateDicts.load(model.block, sd, "", checkpoint.toString());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /**
     * A TorchScript export ({@code torch.jit.save}) of a CLFT whose {@code forward(rgb, lidar)}
     * returns the (B, C, S, S) logits: the alternative inference backend. Its structure is not
     * checked beyond the output; {@code spec} gives the input size, mode and class count.
     */
    public static ClftModel torchScript(ClftSpec spec, Path file, Device device, String version) {
        Model m = Model.newInstance(version, device, "PyTorch");
        try {
            Path dir = file.toAbsolutePath().getParent();
            String name = file.getFileName().toString();
            m.load(dir, name.substring(0, name.length() - ".pt".length()));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw new BadInputException(
                    BadInputReason.MALFORMED_CHECKPOINT,
                    file.toString(),
                    "is not a loadable TorchScript module: " + e.getMessage());
        }
        return new ClftModel(m, m.getBlock(), spec, version + " (TorchScript)", DataType.FLOAT32);
    }

    /** The weights as a PyTorch state dict (float32 copies, PyTorch key order). */
    public Map<String, TorchTensor> stateDict() {
        if (!(block instanceof ClftBlock)) {
            throw new UnsupportedOperationException(
                    "only a single CLFT built here has a state dict (this is "
                            + block.getClass().getSimpleName()
                            + ")");
        }
        return StateDicts.of(block);
    }

    /**
     * Writes the weights as the paper's trainer checkpoint ({@code {epoch, model_state_dict,
     * optimizer_state_dict}} with a fresh Adam state at {@code lr}), loadable by PyTorch's {@code
     * torch.load} and strict {@code load_state_dict}.
     */
    public void save(Path file, int epoch, double lr) {
        save(file, epoch, lr, List.of());
    }

    /**
     * As {@link #save(Path, int, double)}, also writing the class names (in head order) so that a
     * later transfer to other classes can map the head by name ({@link #loadTransfer}).
     */
    public void save(Path file, int epoch, double lr, List<String> classes) {
        Map<String, TorchTensor> sd = stateDict();
        PthWriter.saveTrainer(file, epoch, sd, PthWriter.freshAdamState(sd.size(), lr), classes);
    }

    /**
     * Writes the specialist ensemble of clft-spec §3.10: one 2-class model per member ({@link
     * EnsembleBlock#MEMBERS}: vehicle, sign, human), in the layout {@link #ensemble} reads.
     *
     * @throws IllegalArgumentException when a member is missing or not a 2-class model
     */
    public static void saveEnsemble(Path file, Map<String, ClftModel> members) {
        Map<String, Object> models = new LinkedHashMap<>();
        for (String name : EnsembleBlock.MEMBERS) {
            ClftModel m = members.get(name);
            if (m == null || m.spec().classes() != 2) {
                throw new IllegalArgumentException(
                        "an ensemble needs 2-class vehicle, sign and human members; "
                                + name
                                + (m == null
                                        ? " is missing"
                                        : " has " + m.spec().classes() + " classes"));
            }
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("model_state_dict", new LinkedHashMap<>(m.stateDict()));
            member.put("source", m.version());
            models.put(name, member);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put(Checkpoint.ENSEMBLE_MODELS, models);
        root.put("description", "specialist ensemble (clft-spec 3.10) written by fusion-node");
        PthWriter.save(file, root);
    }

    /**
     * A model to train from {@code checkpoint} for the classes {@code classes} (transfer learning,
     * clft-spec §4.5). With the same class count the load is strict, class by index, as the paper's
     * code; with another count every weight but the head's last layer must fit, and that layer's
     * rows are taken by class name from the checkpoint's {@link Checkpoint#CLASSES} (a class the
     * source did not have, or a checkpoint without names, keeps its fresh initialisation).
     *
     * @param log receives one line describing the class mapping
     */
    public static ClftModel loadTransfer(
            ClftSpec spec,
            Path checkpoint,
            Device device,
            List<String> classes,
            Consumer<String> log) {
        if (checkpoint.getFileName().toString().endsWith(".pt")) {
            return load(spec, checkpoint, device);
        }
        Checkpoint ckpt = Checkpoint.load(checkpoint);
        if (ckpt.kind() == Checkpoint.Kind.ENSEMBLE) {
            return load(spec, checkpoint, ckpt, device);
        }
        Map<String, TorchTensor> sd = ckpt.stateDict();
        TorchTensor bias = sd.get(HEAD_LAST + "bias");
        if (bias == null || bias.numel() == spec.classes()) {
            return load(spec, checkpoint, ckpt, device); // the file is read once
        }
        List<String> source = ckpt.classNames().orElse(List.of());
        ClftModel model = random(spec, device, 0, stem(checkpoint) + "+transfer");
        try {
            Map<String, TorchTensor> fresh = StateDicts.of(model.block);
            Map<String, TorchTensor> mapped = new LinkedHashMap<>(sd);
            int[] rows = new int[classes.size()];
            StringBuilder said = new StringBuilder();
            for (int c = 0; c < classes.size(); c++) {
                rows[c] = source.indexOf(classes.get(c));
                said.append(c == 0 ? "" : ", ")
                        .append(classes.get(c))
                        .append(rows[c] < 0 ? " (new)" : " <- " + source.get(rows[c]));
            }
            for (String part : List.of("weight", "bias")) {
                TorchTensor src = sd.get(HEAD_LAST + part);
                TorchTensor init = fresh.get(HEAD_LAST + part);
                int width = (int) (init.numel() / classes.size());
                float[] out = init.toFloats();
                float[] in = src.toFloats();
                for (int c = 0; c < rows.length; c++) {
                    if (rows[c] >= 0 && (rows[c] + 1) * width <= in.length) {
                        System.arraycopy(in, rows[c] * width, out, c * width, width);
                    }
                }
                mapped.put(HEAD_LAST + part, TorchTensor.ofFloats(out, init.shape()));
            }
            StateDicts.load(model.block, mapped, "", checkpoint.toString());
            log.accept(
                    source.isEmpty()
                            ? "transfer from "
                                    + checkpoint
                                    + ": its "
                                    + bias.numel()
                                    + " classes are unnamed, so the head's last layer starts"
                                    + " fresh for "
                                    + classes
                            : "transfer from " + checkpoint + ": classes " + said);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Half precision: casts the weights to float16 and feeds float16 inputs (on a GPU; libtorch's
     * CPU kernels are slow or missing in half precision). Returns this model.
     */
    public ClftModel toHalf() {
        block.cast(DataType.FLOAT16);
        return new ClftModel(model, block, spec, version + " (fp16)", DataType.FLOAT16);
    }

    /** A new predictor (not thread-safe: one per worker thread). */
    public Predictor<ClftSample, SegmentationOutput> newPredictor(boolean keepLogits) {
        return model.newPredictor(new ClftTranslator(keepLogits, dataType));
    }

    /** The structure (for an ensemble: a member's, with the ensemble's 4 classes). */
    public ClftSpec spec() {
        return spec;
    }

    /** The block: a {@link ClftBlock}, an {@link EnsembleBlock} or a TorchScript module. */
    public Block block() {
        return block;
    }

    /** The DJL model. */
    public Model djlModel() {
        return model;
    }

    /** The same model under another version name (the weights are shared, not copied). */
    public ClftModel withVersion(String newVersion) {
        return new ClftModel(model, block, spec, newVersion, dataType);
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
        for (var p : block.getParameters()) {
            Parameter param = p.getValue();
            if (param.getShape() != null) {
                n += param.getShape().size();
            } else if (param.getArray() != null) {
                n += param.getArray().size();
            }
        }
        return n;
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        model.close();
    }
}

package dev.fusionnode.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.fusionnode.inference.TorchThreadGovernor;
import dev.fusionnode.model.ClftBlock;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.StateDictNames;
import dev.fusionnode.model.nn.Ops;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's training step on a CLFT built here (clft-spec §4.1): weighted cross-entropy (the mean
 * weighted by the target's class weights, Σ w_y·NLL / Σ w_y), Adam over every parameter (betas 0.9,
 * 0.999, eps 1e-8, no weight decay) with the learning rate set per epoch to {@code lr ×
 * momentum^epoch}. A step whose loss or gradients are not finite is skipped and counted, as the
 * paper's AMP GradScaler skips them. Also the evaluation pass (no gradients) that feeds {@link
 * SegmentationMetrics}. Not thread-safe: one trainer per model, used by one thread.
 */
public final class ClftTrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClftTrainer.class);
    private final ClftModel model;
    private final Block block;
    private final SegmentationLoss loss;
    private final List<Pair<String, Parameter>> trainable = new ArrayList<>();
    private final double baseLr;
    private final double lrMomentum;
    private final TorchAdam optimizer;
    private final NDManager manager;
    private final ParameterStore store;
    private volatile double currentLr;
    private long steps;
    private long skipped;
    private Runnable beforeBackward = () -> {};
    private Map<String, float[]> keptGradients;
    private final int threads;
    private final TorchThreadGovernor governor;
    private final Map<String, String> names = new HashMap<>();

    /**
     * A trainer whose thread runs libtorch with one intra-op thread (see the other constructor).
     */
    public ClftTrainer(ClftModel model, float[] classWeights, double lr, double lrMomentum) {
        this(model, classWeights, lr, lrMomentum, 1);
    }

    /**
     * @param model the model to train (its weights change in place)
     * @param classWeights cross-entropy weight per train class
     * @param lr learning rate at epoch 0
     * @param lrMomentum per-epoch factor (the paper's {@code lr_momentum}, 0.99)
     * @param threads libtorch intra-op threads of the calling thread (set only when it differs: the
     *     setting is global to the process)
     */
    public ClftTrainer(
            ClftModel model, float[] classWeights, double lr, double lrMomentum, int threads) {
        this(model, SegmentationLoss.crossEntropy(classWeights), lr, lrMomentum, threads);
    }

    /**
     * A trainer with another loss (focal, focal + Dice; see {@link SegmentationLoss}).
     *
     * @param threads as in {@link #ClftTrainer(ClftModel, float[], double, double, int)}
     */
    public ClftTrainer(
            ClftModel model, SegmentationLoss loss, double lr, double lrMomentum, int threads) {
        this(model, loss, lr, lrMomentum, threads, FineTuneMode.FULL);
    }

    /**
     * A trainer that updates only the parameters {@code mode} names (the others get no gradient).
     *
     * @param threads as in {@link #ClftTrainer(ClftModel, float[], double, double, int)}
     */
    public ClftTrainer(
            ClftModel model,
            SegmentationLoss loss,
            double lr,
            double lrMomentum,
            int threads,
            FineTuneMode mode) {
        if (loss.classWeights().length != model.spec().classes()) {
            throw new IllegalArgumentException(
                    loss.classWeights().length
                            + " class weights for a model of "
                            + model.spec().classes()
                            + " classes");
        }
        this.threads = threads;
        this.governor =
                new TorchThreadGovernor(Runtime.getRuntime().availableProcessors(), threads);
        this.model = model;
        this.block = model.block();
        this.loss = loss;
        this.baseLr = lr;
        this.lrMomentum = lrMomentum;
        this.currentLr = lr;
        this.manager = model.djlModel().getNDManager().newSubManager();
        this.optimizer = new TorchAdam(manager, 0.9, 0.999, 1e-8);
        this.store = new ParameterStore(manager, false);
        Set<String> trainableIds = new HashSet<>();
        if (block instanceof ClftBlock) {
            StateDictNames.of(block)
                    .forEach(
                            (name, param) -> {
                                names.put(param.getId(), name);
                                if (mode.trains(name)) {
                                    trainableIds.add(param.getId());
                                }
                            });
        } else {
            block.getParameters().forEach(p -> trainableIds.add(p.getValue().getId()));
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray w = p.getValue().getArray();
            if (trainableIds.contains(p.getValue().getId())) {
                w.setRequiresGradient(true);
                zeroGrad(w);
                trainable.add(p);
            } else {
                w.setRequiresGradient(false);
            }
        }
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException(
                    "fine-tune mode " + mode + " leaves nothing to train");
        }
    }

    /** Sets the learning rate of {@code epoch}: lr × momentum^epoch. Returns it. */
    public double startEpoch(int epoch) {
        currentLr = baseLr * Math.pow(lrMomentum, epoch);
        return currentLr;
    }

    /** The learning rate in use. */
    public double learningRate() {
        return currentLr;
    }

    /** Optimiser steps so far. */
    public long steps() {
        return steps;
    }

    /**
     * This thread's libtorch state for training: autograd off outside the gradient collector
     * (libtorch's grad mode is per thread and on by default; DJL turns it off only on the thread
     * that loads the engine, so elsewhere evaluation would record graphs and the in-place optimiser
     * update would fail), and at most {@code threads} intra-op threads, fewer while other processes
     * take cores ({@link TorchThreadGovernor}).
     */
    private void noGrad() {
        JniUtils.setGradMode(false);
        governor.beforeForward();
    }

    /**
     * Zeroes a parameter's gradient natively. Not {@code g - g}, which keeps a NaN or infinity
     * forever; and done once right after {@code setRequiresGradient}, whose gradient buffer is not
     * guaranteed to start at zero.
     */
    private static void zeroGrad(NDArray w) {
        if (w instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
        } else {
            try (NDArray g = w.getGradient()) {
                g.muli(Ops.scalar(g, 0));
            }
        }
    }

    /** Keeps a copy of each step's gradients by state-dict name (tests: {@link #gradients()}). */
    void keepGradients() {
        keptGradients = new LinkedHashMap<>();
    }

    /** The last step's gradients of the trained parameters, when {@link #keepGradients()} is on. */
    Map<String, float[]> gradients() {
        return Map.copyOf(keptGradients);
    }

    /**
     * Runs {@code hook} between each step's forward and its backward (tests: a garbage collection
     * there must not change the step).
     */
    void beforeBackward(Runnable hook) {
        beforeBackward = hook;
    }

    /** Steps skipped because the loss or a gradient was not finite (as AMP's GradScaler skips). */
    public long skippedSteps() {
        return skipped;
    }

    /** The parameters whose gradient holds a NaN or an infinity (empty when all are finite). */
    private List<String> nonFiniteGradients() {
        List<String> out = new ArrayList<>();
        for (Pair<String, Parameter> p : trainable) {
            NDArray w = p.getValue().getArray();
            try (NDArray g = w.getGradient();
                    NDArray s = g.abs().sum()) {
                if (!Float.isFinite(s.getFloat())) {
                    out.add(names.getOrDefault(p.getValue().getId(), p.getKey()));
                }
            }
        }
        return out;
    }

    /** The result of one batch: its mean weighted loss and the predicted class of every pixel. */
    public record BatchResult(double loss, byte[] prediction) {}

    /** One optimiser step on a batch. */
    public BatchResult trainBatch(List<TrainingSample> batch) {
        noGrad();
        try (NDManager bm = manager.newSubManager()) {
            NDList inputs = inputs(bm, batch);
            NDArray labels = labels(bm, batch);
            NDArray scale = pixelScale(bm, batch);
            double lossValue;
            byte[] prediction;
            // Autograd on this thread only, for this forward and backward. Not DJL's
            // GradientCollector: it "zeroes" the gradient of every array of the process (g - g,
            // two new arrays each), the arrays of other threads included, such as the ones
            // inference is using or closing at that moment, which corrupted memory and gave this
            // backward non-finite gradients now and then.
            JniUtils.setGradMode(true);
            try {
                NDArray logits = block.forward(store, inputs, true).singletonOrThrow();
                NDArray loss = batchLoss(logits, labels, scale);
                beforeBackward.run();
                try (NDArray seed = loss.onesLike()) {
                    JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
                }
                lossValue = loss.getFloat();
                prediction = logits.argMax(1).toType(DataType.UINT8, false).toByteArray();
            } finally {
                noGrad();
            }
            List<String> nonFinite = nonFiniteGradients();
            if (keptGradients != null) {
                keptGradients.clear();
                for (Pair<String, Parameter> p : trainable) {
                    try (NDArray g = p.getValue().getArray().getGradient()) {
                        keptGradients.put(
                                names.getOrDefault(p.getValue().getId(), p.getKey()),
                                g.toFloatArray());
                    }
                }
            }
            boolean finite = Double.isFinite(lossValue) && nonFinite.isEmpty();
            for (Pair<String, Parameter> p : trainable) {
                NDArray w = p.getValue().getArray();
                try (NDArray g = w.getGradient()) {
                    if (finite) {
                        optimizer.update(p.getValue().getId(), w, g, currentLr);
                    }
                }
                zeroGrad(w);
            }
            if (finite) {
                steps++;
            } else {
                skipped++;
                LOG.warn(
                        "skipped an optimiser step: loss {}, non-finite gradients of {} of {}"
                                + " parameters {} ({} skipped so far, {} taken)",
                        lossValue,
                        nonFinite.size(),
                        trainable.size(),
                        nonFinite.subList(0, Math.min(12, nonFinite.size())),
                        skipped,
                        steps);
            }
            return new BatchResult(lossValue, prediction);
        }
    }

    /** Loss and prediction of a batch without gradients (validation, test). */
    public BatchResult evaluateBatch(List<TrainingSample> batch) {
        noGrad();
        try (NDManager bm = manager.newSubManager()) {
            NDList inputs = inputs(bm, batch);
            NDArray labels = labels(bm, batch);
            NDArray logits = block.forward(store, inputs, false).singletonOrThrow();
            double loss = batchLoss(logits, labels, pixelScale(bm, batch)).getFloat();
            return new BatchResult(
                    loss, logits.argMax(1).toType(DataType.UINT8, false).toByteArray());
        }
    }

    /** The configured loss of a batch. */
    NDArray batchLoss(NDArray logits, NDArray labels) {
        return loss.compute(logits, labels);
    }

    private NDArray batchLoss(NDArray logits, NDArray labels, NDArray pixelScale) {
        return loss.compute(logits, labels, pixelScale);
    }

    /**
     * Per-pixel loss scale (B, H, W) of a batch with ignored pixels or sample weights other than 1:
     * the sample's weight, 0 where the label is {@link TrainingSample#IGNORE}; null when every
     * pixel counts once (the paper's loss, unchanged).
     */
    private NDArray pixelScale(NDManager bm, List<TrainingSample> batch) {
        if (batch.stream().noneMatch(TrainingSample::needsPixelScale)) {
            return null;
        }
        int s = batch.get(0).size();
        int n = s * s;
        float[] scale = new float[batch.size() * n];
        for (int i = 0; i < batch.size(); i++) {
            byte[] lab = batch.get(i).label();
            float w = batch.get(i).weight();
            for (int j = 0; j < n; j++) {
                scale[i * n + j] = (lab[j] & 0xFF) == TrainingSample.IGNORE ? 0f : w;
            }
        }
        return bm.create(scale, new Shape(batch.size(), s, s)).toDevice(model.device(), false);
    }

    private NDList inputs(NDManager bm, List<TrainingSample> batch) {
        int s = batch.get(0).size();
        int plane = 3 * s * s;
        float[] rgb = new float[batch.size() * plane];
        boolean lidar = batch.get(0).lidar() != null;
        float[] li = lidar ? new float[batch.size() * plane] : null;
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).rgb(), 0, rgb, i * plane, plane);
            if (lidar) {
                System.arraycopy(batch.get(i).lidar(), 0, li, i * plane, plane);
            }
        }
        Shape shape = new Shape(batch.size(), 3, s, s);
        NDArray r = bm.create(rgb, shape).toDevice(model.device(), false);
        NDArray l = lidar ? bm.create(li, shape).toDevice(model.device(), false) : r;
        return new NDList(r, l);
    }

    private NDArray labels(NDManager bm, List<TrainingSample> batch) {
        int s = batch.get(0).size();
        int n = s * s;
        long[] y = new long[batch.size() * n];
        for (int i = 0; i < batch.size(); i++) {
            byte[] lab = batch.get(i).label();
            for (int j = 0; j < n; j++) {
                int v = lab[j] & 0xFF;
                y[i * n + j] = v == TrainingSample.IGNORE ? 0 : v; // left out by the pixel scale
            }
        }
        return bm.create(y, new Shape(batch.size(), s, s)).toDevice(model.device(), false);
    }

    /** Concatenated labels of a batch, in the order of {@link BatchResult#prediction()}. */
    public static byte[] targets(List<TrainingSample> batch) {
        int n = batch.get(0).label().length;
        byte[] out = new byte[batch.size() * n];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).label(), 0, out, i * n, n);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }
}

package dev.fusionnode.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.fusionnode.testutil.Peer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The losses against PyTorch (Debian python3-torch): weighted cross-entropy equals {@code
 * torch.nn.functional.cross_entropy(weight=w)}; focal (gamma 2) and focal + Dice equal the same
 * formulas written in torch; with gamma 0 and no Dice the focal loss is the cross-entropy.
 */
class SegmentationLossIT {
    private static final float[] W = {1f, 3f, 20f, 12f};

    @Test
    void matchesTorch() throws Exception {
        assumeTorch();
        Random rnd = new Random(42);
        int b = 2, c = 4, h = 5, w = 6;
        float[] logits = logits(rnd, b * c * h * w);
        int[] labels = new int[b * h * w];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rnd.nextInt(10) < 6 ? 0 : 1 + rnd.nextInt(3);
        }
        double ce;
        double focal;
        double focalDice;
        double focal0;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray lg = m.create(logits, new Shape(b, c, h, w));
            NDArray lb = m.create(labels, new Shape(b, h, w)).toType(DataType.INT64, false);
            ce = SegmentationLoss.crossEntropy(W).compute(lg, lb).getFloat();
            focal =
                    new SegmentationLoss(SegmentationLoss.Kind.FOCAL, W, 2, 0)
                            .compute(lg, lb)
                            .getFloat();
            focalDice =
                    new SegmentationLoss(SegmentationLoss.Kind.FOCAL_DICE, W, 2, 0.5)
                            .compute(lg, lb)
                            .getFloat();
            focal0 =
                    new SegmentationLoss(SegmentationLoss.Kind.FOCAL, W, 0, 0)
                            .compute(lg, lb)
                            .getFloat();
        }
        assertThat(focal0).isCloseTo(ce, within(1e-5));
        String py =
                torchInputs(logits, labels)
                        + "ce = F.cross_entropy(lg, lb, weight=w)\n"
                        + "logp = F.log_softmax(lg, 1)\n"
                        + "lpt = logp.gather(1, lb[:, None]).squeeze(1)\n"
                        + "wt = w[lb]\n"
                        + "focal = (wt * (1 - lpt.exp()) ** 2 * -lpt).sum() / wt.sum()\n"
                        + "p = logp.exp()\n"
                        + "oh = F.one_hot(lb, 4).permute(0, 3, 1, 2).float()\n"
                        + "inter = (p * oh).sum((0, 2, 3))\n"
                        + "den = p.sum((0, 2, 3)) + oh.sum((0, 2, 3))\n"
                        + "dice = (2 * inter + 1e-6) / (den + 1e-6)\n"
                        + "fd = focal + 0.5 * (1 - dice[1:].mean())\n"
                        + "print('%.9g %.9g %.9g' % (ce.item(), focal.item(), fd.item()))\n";
        Result r = python(py);
        assertThat(r.exit).as(r.out).isZero();
        String[] v = r.out.strip().split("\\s+");
        assertThat(ce).isCloseTo(Double.parseDouble(v[0]), within(1e-5));
        assertThat(focal).isCloseTo(Double.parseDouble(v[1]), within(1e-5));
        assertThat(focalDice).isCloseTo(Double.parseDouble(v[2]), within(1e-5));
        assertThat(focal).isLessThan(ce); // easy pixels count less
    }

    /**
     * Pseudo-labelled frames: pixels without a label (0 scale) are left out, as with {@code
     * ignore_index=255} in torch, and a frame of weight 0.5 counts half, in the weighted sum and in
     * its normaliser; in the Dice term only labelled pixels count.
     */
    @Test
    void ignoredPixelsAndFrameWeightsMatchTorch() throws Exception {
        assumeTorch();
        Random rnd = new Random(7);
        int b = 2, c = 4, h = 5, w = 6;
        float[] logits = logits(rnd, b * c * h * w);
        int[] labels = new int[b * h * w];
        int[] mapped = new int[labels.length];
        float[] scale = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rnd.nextInt(10) < 2 ? 255 : rnd.nextInt(10) < 6 ? 0 : 1 + rnd.nextInt(3);
            mapped[i] = labels[i] == 255 ? 0 : labels[i];
            scale[i] = labels[i] == 255 ? 0f : i < h * w ? 1f : 0.5f; // second frame: pseudo
        }
        double ce;
        double focalDice;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray lg = m.create(logits, new Shape(b, c, h, w));
            NDArray lb = m.create(mapped, new Shape(b, h, w)).toType(DataType.INT64, false);
            NDArray sc = m.create(scale, new Shape(b, h, w));
            ce = SegmentationLoss.crossEntropy(W).compute(lg, lb, sc).getFloat();
            focalDice =
                    new SegmentationLoss(SegmentationLoss.Kind.FOCAL_DICE, W, 2, 0.5)
                            .compute(lg, lb, sc)
                            .getFloat();
        }
        String py =
                torchInputs(logits, labels)
                        + "s = torch.tensor([1.0, 0.5]).reshape(2,1,1)\n"
                        + "valid = (lb != 255).float()\n"
                        + "y = lb.clone(); y[lb == 255] = 0\n"
                        + "nll = F.cross_entropy(lg, lb, weight=w, ignore_index=255,"
                        + " reduction='none')\n"
                        + "wt = w[y] * valid * s\n"
                        + "ce = (nll * s).sum() / wt.sum()\n"
                        + "logp = F.log_softmax(lg, 1)\n"
                        + "lpt = logp.gather(1, y[:, None]).squeeze(1)\n"
                        + "focal = (wt * (1 - lpt.exp()) ** 2 * -lpt).sum() / wt.sum()\n"
                        + "p = logp.exp() * valid[:, None]\n"
                        + "oh = F.one_hot(y, 4).permute(0, 3, 1, 2).float() * valid[:, None]\n"
                        + "inter = (p * oh).sum((0, 2, 3))\n"
                        + "den = p.sum((0, 2, 3)) + oh.sum((0, 2, 3))\n"
                        + "dice = (2 * inter + 1e-6) / (den + 1e-6)\n"
                        + "fd = focal + 0.5 * (1 - dice[1:].mean())\n"
                        + "print('%.9g %.9g' % (ce.item(), fd.item()))\n";
        Result r = python(py);
        assertThat(r.exit).as(r.out).isZero();
        String[] v = r.out.strip().split("\\s+");
        assertThat(ce).isCloseTo(Double.parseDouble(v[0]), within(1e-5));
        assertThat(focalDice).isCloseTo(Double.parseDouble(v[1]), within(1e-5));
    }

    @Test
    void autoClassWeightsAreInverseFrequencyCapped() {
        float[] w = ClassWeights.inverseFrequency(new long[] {9000, 900, 10, 0}, 20f);
        assertThat(w).containsExactly(1f, 10f, 20f, 20f);
        int[] relabel = new int[256];
        relabel[2] = 1;
        relabel[3] = 2;
        relabel[4] = 3;
        relabel[5] = 3;
        long[] ids = new long[257];
        ids[0] = 800;
        ids[1] = 200; // ignore -> background, as the paper's relabelling
        ids[2] = 100;
        ids[4] = 5;
        ids[5] = 5;
        ids[255] = 10_000; // a teacher's unlabelled pixels: not counted
        assertThat(ClassWeights.trainClassPixels(ids, relabel, 4))
                .containsExactly(1000, 100, 0, 10);
        assertThat(ClassWeights.parse("1, 3,20,12", 20f).given()).containsExactly(1f, 3f, 20f, 12f);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClassWeights.parse("many", 20f))
                .hasMessageContaining("'config', 'auto' or numbers");
    }

    @Test
    void parsesNames() {
        assertThat(SegmentationLoss.Kind.parse("focal+dice"))
                .isEqualTo(SegmentationLoss.Kind.FOCAL_DICE);
        assertThat(SegmentationLoss.Kind.parse("CE")).isEqualTo(SegmentationLoss.Kind.CE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SegmentationLoss.Kind.parse("l2"))
                .hasMessageContaining("known: ce, focal, focal_dice");
    }

    private static void assumeTorch() throws Exception {
        Peer.PYTHON_TORCH.require();
    }

    /** Python defining {@code lg} (2,4,5,6), {@code lb} (2,5,6) and the class weights {@code w}. */
    private static String torchInputs(float[] logits, int[] labels) {
        return "import torch, torch.nn.functional as F\n"
                + "lg = torch.tensor("
                + Arrays.toString(logits)
                + ").reshape(2,4,5,6)\n"
                + "lb = torch.tensor("
                + Arrays.toString(labels)
                + ").reshape(2,5,6)\n"
                + "w = torch.tensor("
                + Arrays.toString(W)
                + ")\n";
    }

    private static float[] logits(Random rnd, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (rnd.nextGaussian() * 2);
        }
        return out;
    }

    private record Result(int exit, String out) {}

    private static Result python(String script) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder("/usr/bin/python3", "-c", script).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(2, TimeUnit.MINUTES);
        return new Result(p.exitValue(), out);
    }
}

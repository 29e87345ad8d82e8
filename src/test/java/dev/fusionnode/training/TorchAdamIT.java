package dev.fusionnode.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.fusionnode.testutil.Peer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link TorchAdam} against {@code torch.optim.Adam} itself (Debian python3-torch): the same
 * weights, the same five gradients, the same learning rates; the weights agree to 1e-6. Skipped
 * where torch is not installed.
 */
class TorchAdamIT {
    private static final float[] W0 = {0.5f, -1.2f, 3.0f, 0.0f};
    private static final double[] LR = {0.01, 0.01, 0.005, 0.005, 0.001};

    private static float[] grad(int t) {
        return new float[] {t * 0.1f - 0.2f, (float) Math.sin(t), -0.5f, 1e-3f * t};
    }

    @Test
    void matchesTorchOptimAdam() throws Exception {
        Peer.PYTHON_TORCH.require();
        float[] java;
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                TorchAdam adam = new TorchAdam(m, 0.9, 0.999, 1e-8)) {
            NDArray w = m.create(W0);
            for (int t = 1; t <= 5; t++) {
                adam.update("w", w, m.create(grad(t)), LR[t - 1]);
            }
            java = w.toFloatArray();
            assertThat(adam.step("w")).isEqualTo(5);
        }
        StringBuilder py = new StringBuilder("import math, torch\n");
        py.append("w = torch.nn.Parameter(torch.tensor(")
                .append(Arrays.toString(W0))
                .append("))\n");
        py.append("opt = torch.optim.Adam([w], lr=0.01, betas=(0.9, 0.999), eps=1e-8)\n");
        py.append("lrs = ").append(Arrays.toString(LR)).append("\n");
        py.append("for t in range(1, 6):\n");
        py.append("    for g in opt.param_groups: g['lr'] = lrs[t - 1]\n");
        py.append(
                "    w.grad = torch.tensor([t * 0.1 - 0.2, math.sin(t), -0.5, 1e-3 * t],"
                        + " dtype=torch.float32)\n");
        py.append("    opt.step()\n");
        py.append("print(' '.join('%.9g' % v for v in w.detach().tolist()))\n");
        Result r = run(py.toString());
        assertThat(r.exit).as(r.out).isZero();
        String[] parts = r.out.strip().split("\\s+");
        for (int i = 0; i < W0.length; i++) {
            assertThat((double) java[i])
                    .as(String.format(Locale.ROOT, "weight %d", i))
                    .isCloseTo(Double.parseDouble(parts[i]), within(1e-6));
        }
    }

    private record Result(int exit, String out) {}

    private static Result run(String script) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder("/usr/bin/python3", "-c", script).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(2, TimeUnit.MINUTES);
        return new Result(p.exitValue(), out);
    }
}

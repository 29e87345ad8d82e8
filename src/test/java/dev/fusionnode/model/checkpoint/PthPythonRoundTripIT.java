package dev.fusionnode.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.testutil.Peer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies with real PyTorch ({@code /usr/bin/python3} + Debian's python3-torch) that files written
 * by {@link PthWriter} load with {@code torch.load(weights_only=True)} and {@code
 * load_state_dict(strict=True)}. Skipped where torch is not installed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PthPythonRoundTripIT {
    private static final String MODIFIED = "head_segmentation.head.4.bias";

    @TempDir Path dir;

    @BeforeAll
    static void needsTorch() {
        Peer.PYTHON_TORCH.require();
    }

    /**
     * Verifies that the MICRO CLFT written from Java, with one bias changed, loads strictly into
     * the Python reference model with that value changed, every other tensor equal to the original
     * file and the optimizer state accepted by Adam.
     */
    @Test
    void microClftLoadsStrictlyIntoTheReferenceModel() throws Exception {
        Checkpoint original = Checkpoint.load(TorchFixtures.file("micro_clft.pth"));
        Map<String, TorchTensor> sd = new LinkedHashMap<>(original.stateDict());
        sd.put(MODIFIED, TorchTensor.ofFloats(new float[] {1, 2, 3, 4}, 4));
        Path file = dir.resolve("micro_from_java.pth");

        PthWriter.saveTrainer(file, 7, sd, original.optimizerState().orElseThrow());
        Path bare = dir.resolve("micro_state_dict.pth");
        PthWriter.save(bare, new LinkedHashMap<>(sd));

        String out =
                python(
                        """
                        import sys, torch
                        sys.path.insert(0, 'src/test/python')
                        import clft_reference as ref
                        path, bare, original, modified = sys.argv[1:5]
                        # torch 1.13's weights_only unpickler lacks BINFLOAT (its own trainer files
                        # fail too), so only the float-free state dict goes through it
                        ck = torch.load(path)
                        assert ck['epoch'] == 7, ck['epoch']
                        safe = torch.load(bare, weights_only=True)
                        assert all(torch.equal(safe[k], v) for k, v in ck['model_state_dict'].items())
                        model = ref.build_micro()
                        model.load_state_dict(ck['model_state_dict'], strict=True)
                        orig = torch.load(original)['model_state_dict']
                        assert list(ck['model_state_dict'].keys()) == list(orig.keys())
                        for k, v in model.state_dict().items():
                            if k != modified:
                                assert torch.equal(v, orig[k]), k
                        assert model.state_dict()[modified].tolist() == [1.0, 2.0, 3.0, 4.0]
                        opt = torch.optim.Adam(model.parameters(), lr=8e-5)
                        opt.load_state_dict(ck['optimizer_state_dict'])
                        model(torch.zeros(1, 3, 64, 64), torch.zeros(1, 3, 64, 64), 'cross_fusion').sum().backward()
                        opt.step()
                        print('OK', len(orig))
                        """,
                        file.toString(),
                        bare.toString(),
                        TorchFixtures.file("micro_clft.pth").toString(),
                        MODIFIED);

        assertThat(out).contains("OK 154");
    }

    /**
     * Verifies that every dtype and every former view comes back in Python equal to the tensors
     * PyTorch saved, and that a trainer file with {@link PthWriter#freshAdamState} loads into the
     * module and Adam it was made from.
     */
    @Test
    void everyDtypeAndAFreshAdamState() throws Exception {
        Map<String, TorchTensor> zoo =
                Checkpoint.load(TorchFixtures.file("state_dict.pth")).stateDict();
        Path zooFile = dir.resolve("zoo.pth");
        PthWriter.save(zooFile, new LinkedHashMap<>(zoo));
        Checkpoint trainer = Checkpoint.load(TorchFixtures.file("trainer_checkpoint.pth"));
        Path trainerFile = dir.resolve("trainer.pth");
        PthWriter.saveTrainer(
                trainerFile, 1, trainer.stateDict(), PthWriter.freshAdamState(4, 1e-3));

        String out =
                python(
                        """
                        import sys, torch, torch.nn as nn
                        zoo, original, trainer = sys.argv[1:4]
                        mine = torch.load(zoo, weights_only=True)
                        theirs = torch.load(original, weights_only=True)
                        assert list(mine) == list(theirs)
                        for k, v in theirs.items():
                            assert mine[k].dtype == v.dtype and mine[k].shape == v.shape, k
                            assert torch.equal(mine[k], v.detach()), k
                            assert mine[k].is_contiguous(), k
                        net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(100, 3))
                        ck = torch.load(trainer)  # has floats: see the first test
                        net.load_state_dict(ck['model_state_dict'], strict=True)
                        opt = torch.optim.Adam(net.parameters(), lr=0.5)
                        opt.load_state_dict(ck['optimizer_state_dict'])
                        assert opt.param_groups[0]['lr'] == 1e-3
                        net(torch.zeros(1, 3, 5, 5)).sum().backward()
                        opt.step()
                        print('OK', len(theirs))
                        """,
                        zooFile.toString(),
                        TorchFixtures.file("state_dict.pth").toString(),
                        trainerFile.toString());

        assertThat(out).contains("OK " + zoo.size());
    }

    private static String python(String script, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c", script));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(4, TimeUnit.MINUTES)).as("python finished").isTrue();
        assertThat(p.exitValue()).as("python exit status; output:%n%s", out).isZero();
        return out;
    }
}

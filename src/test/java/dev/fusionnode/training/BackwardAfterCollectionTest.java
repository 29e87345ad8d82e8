package dev.fusionnode.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.StateDictNames;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.SampleDriveBatch;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A garbage collection between a step's forward and its backward changes nothing: the weights after
 * three steps are bit-identical to those of the same steps without it, and no step is skipped. The
 * collection frees every Java direct buffer no longer referenced; a tensor that autograd kept over
 * such a buffer (DJL's wrapping of a number in {@code x.mul(0.125)}) then holds freed memory, and
 * the backward gave garbage or non-finite gradients.
 */
class BackwardAfterCollectionTest {
    private static final BufferPoolMXBean DIRECT =
            ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(b -> b.getName().equals("direct"))
                    .findFirst()
                    .orElseThrow();

    @ParameterizedTest
    @EnumSource(SegmentationLoss.Kind.class)
    void aCollectionBeforeTheBackwardChangesNoWeight(SegmentationLoss.Kind kind) {
        PaperConfig config = PaperConfig.read(Path.of("config/zod/clft/micro_fusion.json"));
        var spec = config.modelSpec();
        SegmentationLoss loss = new SegmentationLoss(kind, config.classWeights(), 2.0, 0.5);
        List<TrainingSample> batch = SampleDriveBatch.of(config, 0, 10);
        try (ClftModel plain = ClftModel.random(spec, Device.cpu(), 7, "plain");
                ClftModel collected = ClftModel.random(spec, Device.cpu(), 7, "collected");
                ClftTrainer a = new ClftTrainer(plain, loss, 1e-3, 0.99, 1);
                ClftTrainer b = new ClftTrainer(collected, loss, 1e-3, 0.99, 1)) {
            b.beforeBackward(BackwardAfterCollectionTest::collectAndFreeBuffers);
            for (int step = 0; step < 3; step++) {
                double la = a.trainBatch(batch).loss();
                double lb = b.trainBatch(batch).loss();
                assertThat(lb).as("loss of step %d", step).isEqualTo(la);
            }
            assertThat(a.skippedSteps()).isZero();
            assertThat(b.skippedSteps()).as("steps skipped for non-finite gradients").isZero();
            Map<String, Parameter> pa = StateDictNames.of(plain.block());
            Map<String, Parameter> pb = StateDictNames.of(collected.block());
            List<String> differ = new ArrayList<>();
            pa.forEach(
                    (name, p) -> {
                        float[] wa = p.getArray().toFloatArray();
                        float[] wb = pb.get(name).getArray().toFloatArray();
                        if (!Arrays.equals(wa, wb)) {
                            differ.add(name);
                        }
                    });
            assertThat(differ).as("parameters that differ after 3 steps").isEmpty();
        }
    }

    /** A full collection, then a wait until its unreachable direct buffers are freed. */
    private static void collectAndFreeBuffers() {
        long before = DIRECT.getCount();
        System.gc();
        Await.until(
                () -> DIRECT.getCount() < before,
                30,
                "the collected direct buffers to be freed (" + before + " before)");
    }
}

package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Batching the cameras of one capture instant, on a controlled clock. */
class InstantBatchingTest {
    private static final long MS = 1_000_000L;

    /** A camera frame: which camera, captured when (ms). */
    private record Frame(String camera, long captureMs) {
        @Override
        public String toString() {
            return camera + "@" + captureMs;
        }
    }

    private static BatchAssembler<Frame> assembler(int cameras, int maxBatch) {
        return new BatchAssembler<>(
                new BatchPolicy(maxBatch, 50 * MS, BatchPolicy.Grouping.INSTANT, cameras, 10 * MS),
                Frame::camera,
                f -> f.captureMs() * MS);
    }

    private static final List<String> SIX =
            List.of("front", "front_left", "front_right", "back", "back_left", "back_right");

    @Test
    void theSixCamerasOfAnInstantAreOneBatchAsSoonAsAllArrived() {
        BatchAssembler<Frame> a = assembler(6, 8);
        long now = 0;
        for (int i = 0; i < 5; i++) {
            a.add(new Frame(SIX.get(i), 100 + i), now += MS);
            assertThat(a.poll(now).batch()).as("only %d of 6 cameras", i + 1).isEmpty();
        }
        // a frame of the next instant does not join the first
        a.add(new Frame("front", 200), now += MS);
        assertThat(a.poll(now).batch()).isEmpty();
        a.add(new Frame("back_right", 105), now += MS);
        BatchAssembler.Poll<Frame> p = a.poll(now);
        assertThat(p.batch()).extracting(Frame::camera).containsExactlyElementsOf(SIX);
        assertThat(p.batch()).allMatch(f -> f.captureMs() < 200);
        assertThat(a.size()).isEqualTo(1);
    }

    @Test
    void aLateCameraHoldsTheOthersBackAtMostTheDelay() {
        BatchAssembler<Frame> a = assembler(6, 8);
        for (int i = 0; i < 5; i++) {
            a.add(new Frame(SIX.get(i), 100), i * MS);
        }
        BatchAssembler.Poll<Frame> waiting = a.poll(10 * MS);
        assertThat(waiting.batch()).isEmpty();
        assertThat(waiting.waitUntilNanos()).isEqualTo(50 * MS);
        BatchAssembler.Poll<Frame> due = a.poll(50 * MS);
        assertThat(due.batch()).hasSize(5);
        assertThat(due.oldestWaitNanos()).isEqualTo(50 * MS);
        // the late camera's frame then goes with its own instant's batch
        a.add(new Frame("back_right", 100), 60 * MS);
        assertThat(a.poll(60 * MS).batch()).isEmpty();
        assertThat(a.poll(110 * MS).batch()).containsExactly(new Frame("back_right", 100));
    }

    @Test
    void eachCamerasOrderHoldsWhenInstantsInterleave() {
        BatchAssembler<Frame> a = assembler(2, 4);
        // camera a runs ahead: its next two frames arrive before b's first
        a.add(new Frame("a", 0), 0);
        a.add(new Frame("a", 100), 1);
        a.add(new Frame("a", 200), 2);
        a.add(new Frame("b", 0), 3);
        assertThat(a.poll(3).batch()).containsExactly(new Frame("a", 0), new Frame("b", 0));
        a.add(new Frame("b", 100), 4);
        assertThat(a.poll(4).batch()).containsExactly(new Frame("a", 100), new Frame("b", 100));
        assertThat(a.poll(4).batch()).isEmpty();
        assertThat(a.poll(2 + 50 * MS).batch()).containsExactly(new Frame("a", 200));
    }

    @Test
    void bySizeIsUnchanged() {
        BatchAssembler<Integer> a = new BatchAssembler<>(new BatchPolicy(3, 50 * MS));
        a.add(1, 0);
        a.add(2, 0);
        assertThat(a.poll(0).batch()).isEmpty();
        a.add(3, 0);
        assertThat(a.poll(0).batch()).containsExactly(1, 2, 3);
    }

    @Test
    void theOptionsDescribeThePolicy() {
        InferenceOptions d = InferenceOptions.defaults();
        assertThat(d.batchPolicy().grouping()).isEqualTo(BatchPolicy.Grouping.SIZE);
        InferenceOptions six =
                new InferenceOptions(
                        true,
                        d.model(),
                        8,
                        40,
                        1,
                        "cpu",
                        false,
                        0,
                        0.5,
                        BatchPolicy.Grouping.INSTANT,
                        6,
                        15,
                        InferenceOptions.Idle.PARK,
                        CpuList.NONE);
        BatchPolicy p = six.batchPolicy();
        assertThat(p.grouping()).isEqualTo(BatchPolicy.Grouping.INSTANT);
        assertThat(p.fullBatch()).isEqualTo(6);
        assertThat(p.instantToleranceNanos()).isEqualTo(15 * MS);
        assertThat(p.maxDelayNanos()).isEqualTo(40 * MS);
    }
}

package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.FrameEnd;
import dev.fusionnode.pipeline.SegmentedFrame;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies {@code inference.cpus} on this machine's real CPUs: the inference worker runs on the
 * reserved CPU and every other thread of the node off it, frames flow, and stopping the node gives
 * the threads their CPUs back; lists the process cannot honour fail the start with the reason.
 */
class ThreadPinningIT {
    private static final int FRAMES = 40;

    @TempDir Path dir;

    @Test
    void theWorkerRunsOnItsCpuAndTheRestOfTheNodeOffIt() throws Exception {
        CpuList allowed = ThreadPinning.cpusOfThisThread();
        assumeThat(allowed.size()).as("a CPU to reserve and one to leave").isGreaterThan(1);
        int last = allowed.bits().length() - 1;
        CpuList reserved = CpuList.parse(Integer.toString(last));
        NodeHarness node = start(reserved);
        NodeRuntime rt = node.runtime();
        try {
            var bus = rt.vertx().eventBus();
            CountDownLatch done = new CountDownLatch(FRAMES);
            ConcurrentHashMap<String, CpuList> consumerCpus = new ConcurrentHashMap<>();
            bus.<SegmentedFrame>localConsumer(
                    Addresses.SEGMENTED,
                    m -> {
                        consumerCpus.put(
                                Thread.currentThread().getName(), ThreadPinning.cpusOfThisThread());
                        CreditStage.end(bus, FrameEnd.delivered(m.body().fused().camera()));
                        done.countDown();
                    });
            NodeConfigs.resume(rt);
            assertThat(done.await(120, TimeUnit.SECONDS)).as("segmented frames").isTrue();

            // a thread started by the worker (libtorch's) inherits its name as well as its CPUs
            List<Long> workers = threadsNamed("fusion-inferenc");
            assertThat(workers)
                    .as("the inference worker and the threads it started")
                    .isNotEmpty()
                    .allSatisfy(t -> assertThat(ThreadPinning.cpusOf(t)).contains(reserved));
            assertThat(ThreadPinning.cpusOfThisThread())
                    .as("the test's own thread")
                    .isEqualTo(allowed.without(reserved));
            assertThat(consumerCpus.values())
                    .as("the event loop that consumed the masks")
                    .isNotEmpty()
                    .allSatisfy(c -> assertThat(c).isEqualTo(allowed.without(reserved)));
            List<String> onReserved = new ArrayList<>();
            for (long tid : ThreadPinning.threadIds()) {
                CpuList c = ThreadPinning.cpusOf(tid).orElse(CpuList.NONE);
                if (!workers.contains(tid) && c.equals(reserved)) {
                    onReserved.add(tid + " " + comm(tid));
                }
            }
            // libtorch's intra-op threads (none with one thread) are the worker's children
            assertThat(onReserved).allSatisfy(t -> assertThat(t).doesNotContain("vert.x"));
            assertThat(node.section("inference").getString("cpus")).isEqualTo(reserved.toString());
        } finally {
            rt.close();
        }
        assertThat(ThreadPinning.cpusOfThisThread()).as("given back on stop").isEqualTo(allowed);
    }

    @Test
    void cpusTheProcessMayNotUseFailTheStartAndMoveNothing() {
        CpuList allowed = ThreadPinning.cpusOfThisThread();
        CpuList outside = CpuList.parse(Integer.toString(CpuList.MAX_CPU));
        assertThatThrownBy(() -> start(outside))
                .hasStackTraceContaining(
                        "inference.cpus '"
                                + CpuList.MAX_CPU
                                + "': CPU(s) "
                                + CpuList.MAX_CPU
                                + " is not among the CPUs this process may use ("
                                + allowed
                                + ")");
        assertThatThrownBy(() -> start(allowed))
                .hasStackTraceContaining(
                        "inference.cpus '"
                                + allowed
                                + "' leaves no CPU for the rest of the node (the process may use "
                                + allowed
                                + "): list fewer");
        assertThat(ThreadPinning.cpusOfThisThread()).isEqualTo(allowed);
    }

    private NodeHarness start(CpuList cpus) throws IOException {
        Path playlist = NodeConfigs.samplePlaylistAtFullSpeed(dir);
        JsonObject inference = NodeConfigs.microAt64(2, 20).put("cpus", cpus.toString());
        return NodeHarness.start(NodeConfigs.withInference(playlist, 4, inference), false);
    }

    private static List<Long> threadsNamed(String comm) {
        return ThreadPinning.threadIds().stream().filter(t -> comm(t).equals(comm)).toList();
    }

    private static String comm(long tid) {
        try (Stream<String> s = Files.lines(Path.of("/proc/self/task/" + tid + "/comm"))) {
            return s.findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }
}

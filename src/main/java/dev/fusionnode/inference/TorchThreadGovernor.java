package dev.fusionnode.inference;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps libtorch's intra-op threads within the cores other processes leave: before each forward,
 * the thread that runs it calls {@link #beforeForward}; at most once per window the CPU counters
 * are sampled ({@link CpuSampler}) and {@link CpuShare} decides; a changed count is set on the
 * calling thread (libtorch's OpenMP thread count is per calling thread). Thread-safe.
 */
public final class TorchThreadGovernor {
    private static final Logger LOG = LoggerFactory.getLogger(TorchThreadGovernor.class);

    /** How often the counters are sampled. */
    static final long WINDOW_NS = 1_000_000_000L;

    private final CpuShare share;
    private final LongSupplier clock;
    private final AtomicInteger desired;
    private final ThreadLocal<Integer> applied = new ThreadLocal<>();
    private CpuSampler.Sample last;
    private long lastNs;

    /**
     * @param cores the machine's cores
     * @param maxThreads the configured threads (used while nothing else runs)
     */
    public TorchThreadGovernor(int cores, int maxThreads) {
        this(new CpuShare(cores, maxThreads), System::nanoTime);
    }

    TorchThreadGovernor(CpuShare share, LongSupplier clock) {
        this.share = share;
        this.clock = clock;
        this.desired = new AtomicInteger(share.maxThreads());
    }

    /**
     * Samples when a window has passed and sets this thread's libtorch threads when they change.
     */
    public void beforeForward() {
        sampleIfDue();
        int want = desired.get();
        Integer have = applied.get();
        if (have == null || have != want) {
            JniUtils.setNumThreads(want);
            applied.set(want);
            if (have != null) {
                LOG.info(
                        "libtorch threads on {}: {} -> {} (cores other processes leave)",
                        Thread.currentThread().getName(),
                        have,
                        want);
            }
        }
    }

    /** The thread count decided last. */
    public int threads() {
        return desired.get();
    }

    private synchronized void sampleIfDue() {
        long now = clock.getAsLong();
        if (last != null && now - lastNs < WINDOW_NS) {
            return;
        }
        CpuSampler.now()
                .ifPresent(
                        s -> {
                            if (last != null) {
                                desired.set(
                                        share.threads(
                                                s.busy() - last.busy(),
                                                s.own() - last.own(),
                                                s.total() - last.total()));
                            }
                            last = s;
                        });
        lastNs = now;
    }
}

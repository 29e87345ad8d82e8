package dev.fusionnode.inference;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the memory that libtorch frees inside the process. glibc's allocator hands large blocks
 * back to the kernel when they are freed (each is its own {@code mmap}, and the heap's top is
 * trimmed), so every forward pass faults its activations in again page by page: on a 2-core machine
 * the demo model's forward took 34 ms instead of 10. {@link #keepFreedMemory} sets {@code
 * mallopt(M_MMAP_MAX, 0)} and {@code mallopt(M_TRIM_THRESHOLD, 2 GiB)}: blocks come from the heap
 * and stay mapped, so the resident size stays at its high-water mark. These parameters are global
 * to the process and act on every thread's arena from the call on, with one limit: a thread arena
 * grows in heaps of 64 MB, and a block that does not fit in what is left of its current heap
 * (always so for CLFT-Base's and Hybrid's largest activations) gets a heap of its own, unmapped
 * when freed; only one arena ({@code MALLOC_ARENA_MAX=1}, which only the environment can set before
 * the JVM starts) keeps those too.
 *
 * <p>The deployment files set all of it through glibc's environment variables; when any of them is
 * present, the allocator is left as configured. Elsewhere than glibc on Linux nothing is done.
 */
public final class TorchMemory {
    private static final Logger LOG = LoggerFactory.getLogger(TorchMemory.class);

    /** glibc's {@code M_TRIM_THRESHOLD}. */
    static final int M_TRIM_THRESHOLD = -1;

    /** glibc's {@code M_MMAP_MAX}. */
    static final int M_MMAP_MAX = -4;

    /** The trim threshold set: freed memory at the heap's top below this stays mapped. */
    private static final int TRIM_THRESHOLD = Integer.MAX_VALUE;

    /** Environment variables through which glibc's allocator is configured. */
    static final List<String> ALLOCATOR_ENVIRONMENT =
            List.of(
                    "MALLOC_ARENA_MAX",
                    "MALLOC_MMAP_MAX_",
                    "MALLOC_MMAP_THRESHOLD_",
                    "MALLOC_TRIM_THRESHOLD_",
                    "MALLOC_TOP_PAD_",
                    "GLIBC_TUNABLES");

    /** What {@link #keepFreedMemory} did. */
    public enum Outcome {
        /** Set: freed memory now stays in the process. */
        KEPT,
        /** Left alone: the environment configures the allocator. */
        CONFIGURED_BY_ENVIRONMENT,
        /** Left alone: not glibc on Linux. */
        NOT_GLIBC
    }

    private TorchMemory() {}

    /** Keeps freed memory in this process unless the environment configures the allocator. */
    public static Outcome keepFreedMemory() {
        return keepFreedMemory(System.getenv(), System.getProperty("os.name", ""));
    }

    static Outcome keepFreedMemory(Map<String, String> env, String osName) {
        if (ALLOCATOR_ENVIRONMENT.stream().anyMatch(env::containsKey)) {
            return Outcome.CONFIGURED_BY_ENVIRONMENT;
        }
        if (!osName.startsWith("Linux")) {
            return Outcome.NOT_GLIBC;
        }
        try {
            if (mallopt(M_MMAP_MAX, 0) && mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)) {
                LOG.debug("freed native memory stays in the process (mallopt)");
                return Outcome.KEPT;
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.debug("no glibc mallopt here: {}", e.toString());
        }
        return Outcome.NOT_GLIBC;
    }

    /**
     * The C library's {@code mallopt(option, value)}: true when it took the setting (glibc answers
     * 1; musl's is a stub that answers 0).
     */
    static boolean mallopt(int option, int value) {
        Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
        return mallopt.invokeInt(new Object[] {option, value}) == 1;
    }
}

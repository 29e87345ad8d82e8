package dev.fusionnode.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import net.openhft.affinity.impl.LinuxHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the inference workers CPUs of their own (Linux): {@link #reserve} moves every thread of the
 * process onto the other CPUs it may use, so threads started later (event loops, pools, the
 * broker's) are born there too; each worker then {@link #pinCurrentThread pins itself} to the
 * reserved CPUs, and libtorch's OpenMP threads, started by the worker, inherit them. {@link
 * #release} gives every thread the process's CPUs back. Affinity calls go through OpenHFT's
 * Java-Thread-Affinity ({@code sched_setaffinity} by thread id); thread ids and their CPUs are read
 * from {@code /proc}.
 */
public final class ThreadPinning {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadPinning.class);

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final Path THREAD_SELF = Path.of("/proc/thread-self/status");
    private static final String ALLOWED_KEY = "Cpus_allowed_list:";

    private final CpuList reserved;
    private final CpuList rest;
    private final CpuList allowed;

    private ThreadPinning(CpuList reserved, CpuList rest, CpuList allowed) {
        this.reserved = reserved;
        this.rest = rest;
        this.allowed = allowed;
    }

    /**
     * Reserves {@code cpus} for the threads that will {@link #pinCurrentThread pin themselves} and
     * moves every other thread of the process off them.
     *
     * @throws IllegalStateException when this is not Linux, when a CPU listed is not one this
     *     process may use, or when no CPU would be left for the rest of the process
     */
    public static ThreadPinning reserve(CpuList cpus) {
        if (!System.getProperty("os.name", "").startsWith("Linux") || !Files.isReadable(TASKS)) {
            throw new IllegalStateException(
                    "inference.cpus '" + cpus + "': pinning threads to CPUs needs Linux");
        }
        CpuList allowed = cpusOfThisThread();
        if (!cpus.within(allowed)) {
            throw new IllegalStateException(
                    "inference.cpus '"
                            + cpus
                            + "': CPU(s) "
                            + cpus.without(allowed)
                            + " is not among the CPUs this process may use ("
                            + allowed
                            + ")");
        }
        CpuList rest = allowed.without(cpus);
        if (rest.isEmpty()) {
            throw new IllegalStateException(
                    "inference.cpus '"
                            + cpus
                            + "' leaves no CPU for the rest of the node (the process may use "
                            + allowed
                            + "): list fewer");
        }
        ThreadPinning p = new ThreadPinning(cpus, rest, allowed);
        int moved = p.moveThreads(rest, t -> true);
        LOG.info(
                "CPUs {} reserved for inference; the node's other {} thread(s) moved to CPUs {}",
                cpus,
                moved,
                rest);
        return p;
    }

    /** Pins the calling thread (and the threads it starts from now on) to the reserved CPUs. */
    public void pinCurrentThread() {
        LinuxHelper.sched_setaffinity(reserved.bits());
    }

    /** Gives every thread on the reserved or the other CPUs all of the process's CPUs again. */
    public void release() {
        int moved = moveThreads(allowed, t -> t.equals(reserved) || t.equals(rest));
        LOG.info("CPUs {} released: {} thread(s) may run on {} again", reserved, moved, allowed);
    }

    /** The CPUs reserved for inference. */
    public CpuList reserved() {
        return reserved;
    }

    /** The CPUs the calling thread may run on. */
    static CpuList cpusOfThisThread() {
        return allowedCpus(THREAD_SELF);
    }

    /** The CPUs thread {@code tid} of this process may run on, if it is still running. */
    static Optional<CpuList> cpusOf(long tid) {
        try {
            return Optional.of(allowedCpus(TASKS.resolve(Long.toString(tid)).resolve("status")));
        } catch (UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** Sets the CPUs of every thread whose current CPUs pass {@code which}; returns how many. */
    private int moveThreads(CpuList to, Predicate<CpuList> which) {
        int moved = 0;
        for (long tid : threadIds()) {
            Optional<CpuList> now = cpusOf(tid);
            if (now.isEmpty() || now.get().equals(to) || !which.test(now.get())) {
                continue;
            }
            try {
                LinuxHelper.sched_setaffinity((int) tid, to.bits());
                moved++;
            } catch (IllegalStateException e) {
                // the thread ended between listing and moving
                LOG.debug("thread {} not moved: {}", tid, e.getMessage());
            }
        }
        return moved;
    }

    /** The ids of this process's threads. */
    static List<Long> threadIds() {
        try (Stream<Path> tasks = Files.list(TASKS)) {
            return tasks.map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CpuList allowedCpus(Path status) {
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(l -> l.startsWith(ALLOWED_KEY))
                    .findFirst()
                    .map(l -> CpuList.parse(l.substring(ALLOWED_KEY.length())))
                    .orElseThrow(
                            () -> new IllegalStateException(status + " has no " + ALLOWED_KEY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.fusionnode.inference;

/**
 * How many libtorch intra-op threads the cores left to the node allow: the machine's cores minus
 * those other processes kept busy over the last window (a foreign busy loop is one core), at least
 * one and at most the configured threads. OpenMP threads that share a core with a foreign busy
 * thread wait for each other at every barrier, so one thread too many costs far more than one too
 * few. A pure decision; {@link CpuSampler} measures, {@link TorchThreadGovernor} applies.
 *
 * @param cores the machine's cores
 * @param maxThreads the configured thread count (the ceiling)
 */
public record CpuShare(int cores, int maxThreads) {
    /** Validates the bounds. */
    public CpuShare {
        if (cores < 1 || maxThreads < 1) {
            throw new IllegalArgumentException(
                    "cores and maxThreads must be positive: " + cores + ", " + maxThreads);
        }
    }

    /**
     * The threads to use after a window.
     *
     * @param busyTicks CPU time all processes used in the window, all cores together
     * @param ownTicks CPU time this process used in it
     * @param totalTicks CPU time that passed in it, all cores together (busy and idle)
     */
    public int threads(long busyTicks, long ownTicks, long totalTicks) {
        if (totalTicks <= 0) {
            return maxThreads;
        }
        double perCore = (double) totalTicks / cores;
        double foreignCores = Math.max(0, busyTicks - ownTicks) / perCore;
        // a core counts as taken when others use most of it
        int taken = (int) Math.floor(foreignCores + 0.3);
        return Math.max(1, Math.min(maxThreads, cores - taken));
    }
}

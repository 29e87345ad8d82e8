package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TorchMemoryTest {
    private static final long BLOCK = 48L << 20;

    @Test
    void anAllocatorConfiguredInTheEnvironmentIsLeftAsItIs() {
        for (String name : TorchMemory.ALLOCATOR_ENVIRONMENT) {
            assertThat(TorchMemory.keepFreedMemory(Map.of(name, "1"), "Linux"))
                    .as(name)
                    .isEqualTo(TorchMemory.Outcome.CONFIGURED_BY_ENVIRONMENT);
        }
        assertThat(TorchMemory.keepFreedMemory(Map.of(), "Mac OS X"))
                .isEqualTo(TorchMemory.Outcome.NOT_GLIBC);
    }

    /**
     * A 64 MB block (above glibc's largest dynamic mmap threshold) freed and taken again: without
     * the setting it is a fresh mapping each time and every page faults in again.
     */
    @Test
    void aFreedLargeBlockIsTakenAgainWithoutPageFaults() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        try {
            assertThat(TorchMemory.keepFreedMemory(Map.of(), "Linux"))
                    .isEqualTo(TorchMemory.Outcome.KEPT);
            touchAndFree(); // the first time maps the pages
            long before = minorFaults();
            touchAndFree();
            long faults = minorFaults() - before;
            long pages = BLOCK / 4096;
            assertThat(faults).as("page faults for %d pages", pages).isLessThan(pages / 10);
        } finally {
            // glibc's defaults again for the other tests of this JVM
            TorchMemory.mallopt(TorchMemory.M_MMAP_MAX, 65_536);
            TorchMemory.mallopt(TorchMemory.M_TRIM_THRESHOLD, 128 * 1024);
        }
    }

    private static void touchAndFree() {
        long peer = Native.malloc(BLOCK);
        assertThat(peer).isNotZero();
        new Pointer(peer).setMemory(0, BLOCK, (byte) 1);
        Native.free(peer);
    }

    /** This thread's minor page faults (field 10 of /proc/thread-self/stat). */
    private static long minorFaults() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[7]);
    }
}

package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
     * A 48 MB block (above glibc's largest dynamic mmap threshold of 32 MB) freed and taken again:
     * without the setting it is a fresh mapping each time and every page faults in again (12,292
     * faults on the second take; 3 with it). It runs in a JVM of its own, started without glibc's
     * allocator variables and loading little before the check: a thread's arena grows in heaps of
     * 64 MB, and a block that does not fit in what is left of the current one gets a heap of its
     * own, unmapped when freed whatever the setting. In this test JVM how full the heaps are
     * depends on the tests before (it failed so once).
     */
    @Test
    void aFreedLargeBlockIsTakenAgainWithoutPageFaults() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        ProcessBuilder pb =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                TorchMemoryTest.class.getName())
                        .redirectErrorStream(true);
        TorchMemory.ALLOCATOR_ENVIRONMENT.forEach(pb.environment()::remove);
        Process p = pb.start();
        List<String> lines;
        try (var out = p.inputReader()) {
            lines = out.lines().toList();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s", lines).isZero();
        assertThat(lines).as("outcome, then faults").contains("KEPT");
        long faults = Long.parseLong(lines.get(lines.size() - 1));
        long pages = BLOCK / 4096;
        assertThat(faults).as("page faults for %d pages", pages).isLessThan(pages / 10);
    }

    /** The check's own process: what {@link TorchMemory#keepFreedMemory()} did, then the faults. */
    public static void main(String[] args) throws Exception {
        System.out.println(TorchMemory.keepFreedMemory());
        touchAndFree(); // the first time maps the pages
        long before = minorFaults();
        touchAndFree();
        System.out.println(minorFaults() - before);
    }

    private static void touchAndFree() {
        long peer = Native.malloc(BLOCK);
        if (peer == 0) {
            throw new IllegalStateException("malloc of " + BLOCK + " bytes failed");
        }
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

package dev.fusionnode.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the machine's and this process's CPU time from Linux's {@code /proc/stat} and {@code
 * /proc/self/stat} (clock ticks); elsewhere it reads nothing and the governor keeps the configured
 * threads.
 */
final class CpuSampler {
    /** CPU time at one moment, in clock ticks. */
    record Sample(long busy, long total, long own) {}

    private static final Path STAT = Path.of("/proc/stat");
    private static final Path SELF = Path.of("/proc/self/stat");

    private CpuSampler() {}

    /** The current counters, if the system has them. */
    static Optional<Sample> now() {
        try {
            String cpu = Files.readAllLines(STAT).get(0);
            String[] f = cpu.trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = f.length > 5 ? Long.parseLong(f[5]) : 0;
            long irq = f.length > 6 ? Long.parseLong(f[6]) : 0;
            long softirq = f.length > 7 ? Long.parseLong(f[7]) : 0;
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            String self = Files.readString(SELF);
            // the command name may hold spaces: fields count from after its closing parenthesis
            String[] s = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
            long own = Long.parseLong(s[11]) + Long.parseLong(s[12]); // utime, stime
            return Optional.of(new Sample(busy, busy + idle + iowait, own));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

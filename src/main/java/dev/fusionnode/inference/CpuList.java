package dev.fusionnode.inference;

import java.util.BitSet;

/**
 * A set of CPUs in Linux's list format, as {@code taskset -c}, {@code isolcpus=} and cgroup cpusets
 * write it: {@code "1"}, {@code "2,3"}, {@code "4-7,12"}. Immutable.
 */
public final class CpuList {

    /** No CPUs: nothing pinned. */
    public static final CpuList NONE = new CpuList(new BitSet());

    /** The highest CPU number accepted (Linux's default {@code CONFIG_NR_CPUS} limit). */
    static final int MAX_CPU = 8191;

    private final BitSet cpus;

    private CpuList(BitSet cpus) {
        this.cpus = (BitSet) cpus.clone();
    }

    /**
     * Parses a list such as {@code "1,4-7"}; blank is {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the part that is not a CPU number or range
     */
    public static CpuList parse(String text) {
        if (text.isBlank()) {
            return NONE;
        }
        BitSet bits = new BitSet();
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            int dash = p.indexOf('-');
            int from = number(dash < 0 ? p : p.substring(0, dash), p, text);
            int to = dash < 0 ? from : number(p.substring(dash + 1), p, text);
            if (to < from) {
                throw new IllegalArgumentException(
                        "'" + p + "' in '" + text + "' is a range that runs backwards");
            }
            bits.set(from, to + 1);
        }
        return new CpuList(bits);
    }

    private static int number(String s, String part, String text) {
        try {
            int n = Integer.parseInt(s.strip());
            if (n < 0 || n > MAX_CPU) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'"
                            + part
                            + "' in '"
                            + text
                            + "' is not a CPU number (0-"
                            + MAX_CPU
                            + ") or range such as 2-5");
        }
    }

    /** Whether no CPU is listed. */
    public boolean isEmpty() {
        return cpus.isEmpty();
    }

    /** How many CPUs are listed. */
    public int size() {
        return cpus.cardinality();
    }

    /** Whether every CPU listed here is in {@code other}. */
    public boolean within(CpuList other) {
        return without(other).isEmpty();
    }

    /** The CPUs of this list that are not in {@code other}. */
    public CpuList without(CpuList other) {
        BitSet rest = bits();
        rest.andNot(other.cpus);
        return new CpuList(rest);
    }

    /** A copy of the set. */
    public BitSet bits() {
        return (BitSet) cpus.clone();
    }

    /** The list in Linux's format, ranges joined: {@code "0-3,6"}; empty for none. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int from = cpus.nextSetBit(0); from >= 0; ) {
            int to = cpus.nextClearBit(from) - 1;
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(from);
            if (to > from) {
                s.append('-').append(to);
            }
            from = cpus.nextSetBit(to + 1);
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuList c && c.cpus.equals(cpus);
    }

    @Override
    public int hashCode() {
        return cpus.hashCode();
    }
}

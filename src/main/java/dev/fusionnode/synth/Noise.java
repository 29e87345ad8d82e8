package dev.fusionnode.synth;

/** Stateless hash noise: the same inputs always give the same value, on any thread. */
final class Noise {
    private Noise() {}

    /** A well-mixed 64-bit hash of three values. */
    static long hash(long a, long b, long c) {
        long h = a * 0x9E3779B97F4A7C15L + b;
        h = mix(h) + c * 0xC2B2AE3D27D4EB4FL;
        return mix(h);
    }

    /** A value in [0, 1) from three values. */
    static double unit(long a, long b, long c) {
        return (hash(a, b, c) >>> 11) * 0x1.0p-53;
    }

    /** Approximately standard normal (sum of four uniforms, rescaled) from three values. */
    static double gaussian(long a, long b, long c) {
        long h = hash(a, b, c);
        double s =
                (h & 0xFFFF)
                        + ((h >>> 16) & 0xFFFF)
                        + ((h >>> 32) & 0xFFFF)
                        + ((h >>> 48) & 0xFFFF);
        // four uniforms on [0, 65535]: mean 131070, sd 65536 * sqrt(4/12)
        return (s - 131070) / (65536 * 0.5773502691896258);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

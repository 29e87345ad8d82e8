package dev.fusionnode.replay;

import dev.fusionnode.config.ConfigReader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Replay source settings; unset values fall back to the playlist's.
 *
 * @param enabled whether the node replays at all
 * @param playlist the playlist JSON (in {@code replay/})
 * @param mode delivery mode
 * @param rate playback rate, empty for the playlist's
 * @param loop loop at the end, empty for the playlist's
 * @param startFrame first frame to play (seek)
 * @param maxFrames stop after this many frames per pass (0: all)
 * @param startPaused start paused; resume through the API
 */
public record ReplayOptions(
        boolean enabled,
        Optional<Path> playlist,
        DeliveryMode mode,
        Optional<ReplayRate> rate,
        Optional<Boolean> loop,
        int startFrame,
        int maxFrames,
        boolean startPaused) {

    /** How frames are delivered when the pipeline is slower than the source. */
    public enum DeliveryMode {
        /** Backpressure: never drop, keep order, same output every run. */
        LOSSLESS,
        /** Real-time: drop the oldest waiting frame when the pipeline lags (counted). */
        LIVE;

        /** Parses {@code lossless} or {@code live}. */
        public static DeliveryMode parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "lossless" -> LOSSLESS;
                case "live" -> LIVE;
                default ->
                        throw new IllegalArgumentException(
                                "'" + s + "' is not one of lossless, live");
            };
        }
    }

    /**
     * Playback speed: {@code max} (as fast as the pipeline takes frames) or a real-time factor.
     *
     * @param max true for as-fast-as-possible
     * @param factor real-time multiplier when not max
     */
    public record ReplayRate(boolean max, double factor) {
        /** Real time. */
        public static final ReplayRate REAL_TIME = new ReplayRate(false, 1.0);

        /** As fast as possible. */
        public static final ReplayRate MAX = new ReplayRate(true, 0);

        /** The slowest factor (a hundredth of real time). */
        public static final double MIN_FACTOR = 0.01;

        /** The fastest factor short of {@code max}. */
        public static final double MAX_FACTOR = 1000;

        /**
         * Parses {@code max}, {@code real}, or a factor from {@link #MIN_FACTOR} to {@link
         * #MAX_FACTOR} such as {@code 2.5} (a tiny factor such as {@code 1e-300} overflowed the
         * frame timing and played faster than real time).
         */
        public static ReplayRate parse(String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.equals("max")) {
                return MAX;
            }
            if (t.equals("real")) {
                return REAL_TIME;
            }
            double f;
            try {
                f = Double.parseDouble(t.endsWith("x") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "'" + s + "' is not 'max', 'real' or a positive number");
            }
            if (!(f >= MIN_FACTOR && f <= MAX_FACTOR)) {
                throw new IllegalArgumentException(
                        "rate must be 'max', 'real' or a factor from "
                                + MIN_FACTOR
                                + " to "
                                + MAX_FACTOR
                                + ", found "
                                + s);
            }
            return new ReplayRate(false, f);
        }

        @Override
        public String toString() {
            return max ? "max" : factor + "x";
        }
    }

    /** Reads the {@code replay} block. */
    public static ReplayOptions from(ConfigReader r) {
        String playlist = r.string("playlist", null);
        boolean enabled = r.bool("enabled", playlist != null);
        if (enabled && playlist == null) {
            throw r.invalid("playlist", "replay is enabled but no playlist is given");
        }
        ReplayOptions o =
                new ReplayOptions(
                        enabled,
                        Optional.ofNullable(playlist).map(Path::of),
                        r.parsed("mode", DeliveryMode.LOSSLESS, DeliveryMode::parse),
                        Optional.ofNullable(r.parsed("rate", null, ReplayRate::parse)),
                        r.optionalBool("loop"),
                        r.integer("startFrame", 0, 0, Integer.MAX_VALUE),
                        r.integer("maxFrames", 0, 0, Integer.MAX_VALUE),
                        r.bool("startPaused", false));
        r.rejectUnknownKeys();
        return o;
    }
}

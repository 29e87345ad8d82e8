package dev.fusionnode.synth;

import java.util.Locale;
import java.util.Map;

/**
 * What a generation run made and how fast.
 *
 * @param frames frames written
 * @param seconds wall time
 * @param bytes bytes written
 * @param classPixels annotation pixels per class id
 * @param meanLidarPoints mean points per pickle
 * @param splits split file name to line count
 */
public record SynthReport(
        int frames,
        double seconds,
        long bytes,
        long[] classPixels,
        double meanLidarPoints,
        Map<String, Integer> splits) {

    /** Frames per second. */
    public double framesPerSecond() {
        return frames / seconds;
    }

    /** A human-readable summary, with per-class pixel shares. */
    public String describe(SynthProfile profile) {
        long total = 0;
        for (int id : profile.classIds()) {
            total += classPixels[id];
        }
        StringBuilder sb =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "%d frames in %.1f s (%.2f frames/s), %.1f MB, %.0f LiDAR points per pickle%n",
                                frames,
                                seconds,
                                framesPerSecond(),
                                bytes / 1e6,
                                meanLidarPoints));
        sb.append("class pixel shares:");
        for (int id : profile.classIds()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            " %s %.2f%%",
                            profile.className(id),
                            100.0 * classPixels[id] / Math.max(1, total)));
        }
        sb.append(System.lineSeparator()).append("splits: ").append(splits);
        return sb.toString();
    }
}

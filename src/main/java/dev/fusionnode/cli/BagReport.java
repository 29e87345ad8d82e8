package dev.fusionnode.cli;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.replay.Ros2BagDrive;
import dev.fusionnode.ros.Bag;
import dev.fusionnode.ros.BagMessage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code inspect} prints for a ROS 2 bag (a folder with its {@code metadata.yaml}, a {@code
 * .db3} or an {@code .mcap} of CDR messages): its storage, each topic with its message type, count,
 * rate and time span, and the topics the node would play (its one image topic as {@code front}, its
 * one scan topic as {@code top}) or why it needs a {@code topics} map.
 */
final class BagReport {
    private BagReport() {}

    private record Topic(String type, long count, long first, long last) {}

    static String of(Path file) {
        try (Bag bag = Bag.open(file)) {
            Map<String, Topic> topics = new TreeMap<>();
            bag.types().forEach((t, type) -> topics.put(t, new Topic(type, 0, Long.MAX_VALUE, 0)));
            for (BagMessage m : bag.messages()) {
                Topic t = topics.get(m.topic());
                long time = m.logTimeNs();
                topics.put(
                        m.topic(),
                        new Topic(
                                t.type(),
                                t.count() + 1,
                                Math.min(t.first(), time),
                                Math.max(t.last(), time)));
            }
            long first =
                    topics.values().stream()
                            .filter(t -> t.count() > 0)
                            .mapToLong(Topic::first)
                            .min()
                            .orElse(0);
            long last = topics.values().stream().mapToLong(Topic::last).max().orElse(0);
            StringBuilder sb = new StringBuilder();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "ROS 2 bag (%s, cdr), %d topics, %d messages over %.3f s%s%n",
                            bag.storage(),
                            topics.size(),
                            bag.messages().size(),
                            (last - first) / 1e9,
                            bag.damage().map(d -> ", damaged: " + d).orElse("")));
            topics.forEach(
                    (name, t) ->
                            sb.append(
                                    McapReport.topicLine(
                                            name, t.type(), t.count(), t.first(), t.last())));
            sb.append("  plays as: ").append(mapping(bag));
            return sb.toString().stripTrailing();
        }
    }

    /** What the bag plays as, read from the bag already open. */
    private static String mapping(Bag bag) {
        try {
            Ros2BagDrive d = Ros2BagDrive.of(bag, "bag", Map.of());
            String skipped =
                    d.skippedPerTopic().isEmpty()
                            ? ""
                            : "; skipped " + d.skippedPerTopic().keySet();
            String calibrated =
                    d.calibrations().isEmpty()
                            ? "; no calibration in the bag (configure one)"
                            : "; calibrates itself (CameraInfo and TF)";
            return d.sensors() + " (" + d.frames() + " frames)" + calibrated + skipped;
        } catch (BadInputException e) {
            return "needs a playlist 'topics' map: " + e.getMessage();
        }
    }
}

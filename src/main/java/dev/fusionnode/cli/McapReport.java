package dev.fusionnode.cli;

import dev.fusionnode.mcap.McapReader;
import dev.fusionnode.ros.Bag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code inspect file.mcap} prints for a recording of the node: each topic with its message
 * type, count, rate and time span (a ROS 2 bag is told by {@link BagReport}).
 */
final class McapReport {
    private McapReport() {}

    private record Topic(String type, String encoding, long count, long first, long last) {}

    /** One topic's line: name, type, message count and mean rate. */
    static String topicLine(String name, String type, long count, long firstNs, long lastNs) {
        return String.format(
                Locale.ROOT,
                "  %-36s %-34s %7d msgs %8.2f Hz%n",
                name,
                type,
                count,
                count > 1 && lastNs > firstNs ? (count - 1) * 1e9 / (lastNs - firstNs) : 0.0);
    }

    static String of(Path file) {
        if (Bag.isBag(file)) {
            return BagReport.of(file);
        }
        try (McapReader r = McapReader.open(file)) {
            Map<String, Topic> topics = new TreeMap<>();
            for (McapReader.MessageRef m : r.messages()) {
                McapReader.Channel c = r.channels().get(m.channelId());
                Topic t = topics.get(c.topic());
                long time = m.logTimeNs();
                topics.put(
                        c.topic(),
                        t == null
                                ? new Topic(
                                        r.schemas().get(c.schemaId()).name(),
                                        c.messageEncoding(),
                                        1,
                                        time,
                                        time)
                                : new Topic(
                                        t.type(),
                                        t.encoding(),
                                        t.count() + 1,
                                        Math.min(t.first(), time),
                                        Math.max(t.last(), time)));
            }
            // messages logged at time 0 (a recording's calibrations in force from the start) do not
            // count toward the span
            long first =
                    topics.values().stream()
                            .mapToLong(Topic::first)
                            .filter(t -> t > 0)
                            .min()
                            .orElse(0);
            long last = topics.values().stream().mapToLong(Topic::last).max().orElse(0);
            StringBuilder sb = new StringBuilder();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s, %d topics, %d messages over %.3f s%s%n",
                            "MCAP recording",
                            topics.size(),
                            topics.values().stream().mapToLong(Topic::count).sum(),
                            (last - first) / 1e9,
                            r.damage().map(d -> ", damaged: " + d).orElse("")));
            topics.forEach(
                    (name, t) ->
                            sb.append(topicLine(name, t.type(), t.count(), t.first(), t.last())));
            return sb.toString().stripTrailing();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.fusionnode.ros;

import dev.fusionnode.mcap.McapWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a ROS 2 bag as {@code ros2 bag record} does with its MCAP storage: profile {@code ros2},
 * each type's {@code ros2msg} schema ({@link RosSchemas}) and each topic's {@code cdr} channel
 * registered before its first message, and at the end the folder's {@code metadata.yaml}. Not
 * thread-safe (one writer thread).
 */
public final class Ros2BagWriter {
    private final McapWriter mcap;
    private final Map<String, Integer> channels = new HashMap<>();
    private final Map<String, Integer> schemas = new HashMap<>();
    private final Map<String, String> typeOf = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;

    /** Writes into {@code mcap}, made with the {@code ros2} profile. */
    public Ros2BagWriter(McapWriter mcap) {
        this.mcap = mcap;
    }

    /** Writes one CDR message of {@code type} on {@code topic}, logged at {@code timeNs}. */
    public void write(String topic, String type, long timeNs, byte[] cdr) throws IOException {
        Integer channel = channels.get(topic);
        if (channel == null) {
            Integer schema = schemas.get(type);
            if (schema == null) {
                schema = schemas.size() + 1;
                mcap.schema(
                        schema,
                        type,
                        "ros2msg",
                        RosSchemas.text(type).getBytes(StandardCharsets.UTF_8));
                schemas.put(type, schema);
            }
            channel = channels.size() + 1;
            mcap.channel(channel, schema, topic, "cdr", Map.of("offered_qos_profiles", ""));
            channels.put(topic, channel);
            typeOf.put(topic, type);
        }
        long seq = counts.merge(topic, 1L, Long::sum) - 1;
        mcap.message(channel, seq, timeNs, timeNs, cdr);
        first = Math.min(first, timeNs);
        last = Math.max(last, timeNs);
    }

    /**
     * Writes {@code metadata.yaml} beside the bag's file (call after the MCAP file is closed), so
     * that {@code ros2 bag info} and {@code ros2 bag play} take the folder.
     */
    public void writeMetadata(Path file) {
        List<BagMetadata.TopicCount> topics = new ArrayList<>();
        counts.forEach((t, n) -> topics.add(new BagMetadata.TopicCount(t, typeOf.get(t), n)));
        BagMetadata.write(
                file.toAbsolutePath().getParent(),
                file.getFileName().toString(),
                "mcap",
                first == Long.MAX_VALUE ? 0 : first,
                last == Long.MIN_VALUE ? 0 : last,
                topics);
    }
}

package dev.fusionnode.drive;

import dev.fusionnode.mcap.McapWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a drive's messages into an MCAP file the way the node records them: one JSON channel per
 * topic, its schema ({@link DriveMessages#schema}) written once before the topic's first message.
 * Not thread-safe (one writer thread).
 */
public final class DriveWriter {
    private final McapWriter mcap;
    private final Map<String, Integer> channels = new HashMap<>();
    private final Map<String, Integer> schemas = new HashMap<>();

    /** Writes into {@code mcap}. */
    public DriveWriter(McapWriter mcap) {
        this.mcap = mcap;
    }

    /** Writes one message on {@code topic} (a {@code schemaName} message encoded as JSON). */
    public void write(String topic, String schemaName, long seq, long timeNs, byte[] data)
            throws IOException {
        Integer channel = channels.get(topic);
        if (channel == null) {
            Integer schema = schemas.get(schemaName);
            if (schema == null) {
                schema = schemas.size() + 1;
                mcap.schema(
                        schema,
                        schemaName,
                        "jsonschema",
                        DriveMessages.schema(schemaName).getBytes(StandardCharsets.UTF_8));
                schemas.put(schemaName, schema);
            }
            channel = channels.size() + 1;
            mcap.channel(channel, schema, topic, "json", Map.of());
            channels.put(topic, channel);
        }
        mcap.message(channel, seq, timeNs, timeNs, data);
    }
}

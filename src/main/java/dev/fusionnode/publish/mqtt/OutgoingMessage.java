package dev.fusionnode.publish.mqtt;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One MQTT message to publish.
 *
 * @param topic full topic name
 * @param payload bytes (shared, never modified)
 * @param qos quality of service
 * @param retain retained at the broker
 * @param contentType MQTT 5 content type
 * @param userProperties MQTT 5 user properties, in order
 */
public record OutgoingMessage(
        String topic,
        byte[] payload,
        int qos,
        boolean retain,
        String contentType,
        List<Map.Entry<String, String>> userProperties) {
    /** Checks the parts. */
    public OutgoingMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(contentType, "contentType");
        userProperties = List.copyOf(userProperties);
    }
}

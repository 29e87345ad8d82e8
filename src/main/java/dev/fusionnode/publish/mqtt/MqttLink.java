package dev.fusionnode.publish.mqtt;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The node's side of an MQTT broker: the embedded broker in-process ({@link EmbeddedBrokerLink}) or
 * a client connection to an external one ({@link ExternalBrokerLink}). All methods are called on
 * the publisher's event loop and complete there.
 */
interface MqttLink {
    /**
     * Starts the link. The embedded broker has bound its port when the future completes; an
     * external connection is attempted in the background (and retried) so that a missing broker
     * never stops the node from starting.
     *
     * @param onConnected called on the event loop each time the link (re)connects
     */
    Future<Void> start(Runnable onConnected);

    /** True while messages can be handed to the broker. */
    boolean connected();

    /**
     * Delivers messages published by others on {@code topics} (exact names) to {@code handler} on
     * the event loop. Call before {@link #start}.
     */
    void subscribe(List<String> topics, BiConsumer<String, byte[]> handler);

    /** Hands one message to the broker; fails when the connection was lost. */
    Future<Void> send(OutgoingMessage m);

    /** Publishes {@code farewell} (when connected) and closes. */
    Future<Void> stop(OutgoingMessage farewell);

    /** Where messages go, for logs and status. */
    String describe();

    /** The clients of the node's own broker and their bound (status), or null for another's. */
    default JsonObject brokerClients() {
        return null;
    }

    /** The MQTT protocol version this link publishes with. */
    String protocol();
}

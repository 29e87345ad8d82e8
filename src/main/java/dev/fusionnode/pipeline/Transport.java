package dev.fusionnode.pipeline;

import java.util.Locale;

/**
 * Where encoded frames go out: the tag of {@code fusionnode_publish_dropped_total} (and, for MQTT
 * and WebSocket, of {@code fusionnode_connections_refused_total}).
 */
public enum Transport {
    /** The frame encoder (before any transport). */
    ENCODER,
    /** MQTT. */
    MQTT,
    /** The Foxglove WebSocket on {@code /ws}. */
    WEBSOCKET,
    /** ROS 2 through a {@code foxglove_bridge} (the masks published back to it). */
    BRIDGE;

    /** The metric tag value. */
    public String asTag() {
        return name().toLowerCase(Locale.ROOT);
    }
}

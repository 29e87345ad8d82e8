package dev.fusionnode.pipeline;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether anyone wants the JPEGs of each published frame: its camera image and its overlay. The
 * consumers that can tell say so (the Foxglove WebSocket knows its subscriptions, the embedded MQTT
 * broker its subscribers, a recording writes overlays; an external broker's subscribers cannot be
 * known, so it always wants overlays), and the encoder skips a JPEG (about 3.5 ms of a core per
 * 1363x768 frame) while nobody does. A request for the latest camera image or overlay encodes it
 * then. Thread-safe.
 */
public final class ImageDemand {
    /** The JPEGs a frame may carry. */
    public enum Kind {
        /** The camera image. */
        CAMERA,
        /** The mask blended over the camera image. */
        OVERLAY
    }

    private final Map<Kind, Set<String>> wanting = new EnumMap<>(Kind.class);

    /** No one wants anything yet. */
    public ImageDemand() {
        for (Kind k : Kind.values()) {
            wanting.put(k, ConcurrentHashMap.newKeySet());
        }
    }

    /** {@code consumer} wants the {@code kind} JPEGs, or no longer does. */
    public void want(Kind kind, String consumer, boolean wanted) {
        if (wanted) {
            wanting.get(kind).add(consumer);
        } else {
            wanting.get(kind).remove(consumer);
        }
    }

    /** Whether any consumer wants the {@code kind} JPEGs now. */
    public boolean wanted(Kind kind) {
        return !wanting.get(kind).isEmpty();
    }
}

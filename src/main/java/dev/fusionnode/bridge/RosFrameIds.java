package dev.fusionnode.bridge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ROS frame id ({@code header.frame_id}) of each camera's images as the bridge sent them, so
 * that the masks published back carry the frame id of the image they segment. Thread-safe: the
 * source writes it, the mask publisher reads it.
 */
public final class RosFrameIds {
    /** Bound on the cameras kept. */
    static final int MAX = 64;

    private final Map<String, String> byCamera = new ConcurrentHashMap<>();

    /** A camera's images carry {@code frameId}. */
    void put(String cameraId, String frameId) {
        if (byCamera.size() < MAX || byCamera.containsKey(cameraId)) {
            byCamera.put(cameraId, frameId);
        }
    }

    /** The frame id of a camera's images; its sensor id when none came from the bridge. */
    public String of(String cameraId) {
        String f = byCamera.get(cameraId);
        return f == null || f.isEmpty() ? cameraId : f;
    }
}

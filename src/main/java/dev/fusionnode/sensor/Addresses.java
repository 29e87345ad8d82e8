package dev.fusionnode.sensor;

/** Every event-bus address of the pipeline, in the order frames flow. */
public final class Addresses {
    /** {@link CameraFrame}s from sources. */
    public static final String CAMERA = "fusion.sensor.camera";

    /** {@link LidarScan}s from sources. */
    public static final String LIDAR = "fusion.sensor.lidar";

    /** {@link CalibrationUpdate}s from sources (published before the frames they apply to). */
    public static final String CALIBRATION = "fusion.sensor.calibration";

    /** Clears the synchroniser's buffers (after a seek); body ignored. */
    public static final String SYNC_RESET = "fusion.sync.reset";

    /**
     * Camera frames paired with a scan or resolved camera-only ({@code
     * dev.fusionnode.sync.SyncedFrame}).
     */
    public static final String SYNCED = "fusion.sync.synced";

    /** {@link FusedFrame}s: camera + projected LiDAR. */
    public static final String FUSED = "fusion.projection.fused";

    /** {@link SegmentedFrame}s: a fused frame with its mask at camera resolution. */
    public static final String SEGMENTED = "fusion.inference.segmented";

    /**
     * {@code dev.fusionnode.publish.EncodedFrame}s: a segmented frame encoded once (mask PNG,
     * overlay and camera JPEG, meta JSON) for the publishers (MQTT, WebSocket, HTTP).
     */
    public static final String ENCODED = "fusion.publish.encoded";

    /**
     * {@link FrameDone}: a frame admitted by a source has left the pipeline (credit returns to the
     * source).
     */
    public static final String FRAME_DONE = "fusion.pipeline.done";

    /**
     * Replay control requests (JSON {@code {"action": "pause|resume|seek|rate", ...}}),
     * request-reply.
     */
    public static final String REPLAY_CONTROL = "fusion.replay.control";

    private Addresses() {}
}

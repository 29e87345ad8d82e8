package dev.fusionnode.pipeline;

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

    /** Camera frames paired with a scan or resolved camera-only ({@code SyncedFrame}). */
    public static final String SYNCED = "fusion.sync.synced";

    /** {@link FusedFrame}s: camera + projected LiDAR. */
    public static final String FUSED = "fusion.projection.fused";

    /** {@link SegmentedFrame}s: a fused frame with its mask at camera resolution. */
    public static final String SEGMENTED = "fusion.inference.segmented";

    /**
     * {@code EncodedFrame}s: a segmented frame encoded once (mask PNG, overlay and camera JPEG,
     * meta JSON) for the publishers (MQTT, WebSocket, HTTP).
     */
    public static final String ENCODED = "fusion.publish.encoded";

    /**
     * {@link FrameEnd}: a frame's path has ended (delivered or dropped); consumed by the {@link
     * CreditStage} alone.
     */
    public static final String FRAME_END = "fusion.pipeline.end";

    /**
     * {@link FrameDone}: a frame's credit, returned to its source by the {@link CreditStage} only.
     */
    public static final String FRAME_DONE = "fusion.pipeline.done";

    /**
     * Replay control requests (JSON {@code {"action": "pause|resume|seek|rate", ...}}),
     * request-reply.
     */
    public static final String REPLAY_CONTROL = "fusion.replay.control";

    /**
     * Raw pushed sensor messages from {@code /ingest} and MQTT (body: the bytes; header {@code
     * source}).
     */
    public static final String INGEST_PUSH = "fusion.ingest.push";

    /** Fine-tune commands received on MQTT {@code <prefix>/cmd/finetune} (Buffer). */
    public static final String FINETUNE_COMMAND = "fusion.mqtt.cmd.finetune";

    /** Annotated frames received on MQTT {@code <prefix>/annotations} (Buffer). */
    public static final String ANNOTATION_UPLOAD = "fusion.mqtt.annotation";

    /** Fine-tune job progress (JSON), published to MQTT {@code <prefix>/training/progress}. */
    public static final String TRAINING_PROGRESS = "fusion.training.progress";

    /** Cluster address of fused frames from an ingest node to workers (FusedFrameWire bytes). */
    public static final String CLUSTER_FRAMES = "fusion.cluster.fused";

    private Addresses() {}
}

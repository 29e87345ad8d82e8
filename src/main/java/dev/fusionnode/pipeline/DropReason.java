package dev.fusionnode.pipeline;

import java.util.Locale;

/** Why a frame left the pipeline without a result; the {@code reason} tag of the drop counter. */
public enum DropReason {
    /** No LiDAR scan within the sync tolerance and the policy is to drop. */
    NO_LIDAR_IN_TOLERANCE,
    /** Live delivery: the pipeline lagged and the oldest waiting frame was dropped. */
    PIPELINE_LAG,
    /** The frame's camera data could not be read. */
    BAD_INPUT,
    /** The model failed on the frame's batch (the error is logged; the node keeps serving). */
    INFERENCE_ERROR,
    /** A message for the recording was dropped: the recorder's queue was full (disk too slow). */
    RECORDER_BEHIND,
    /** Cluster: no worker node took the frame, or none finished it in time. */
    WORKER_UNAVAILABLE,
    /**
     * Live delivery: the frame was segmented but publishing (encoding its mask and images) had
     * fallen behind, so its mask was not published.
     */
    PUBLISH_BEHIND,
    /** The frame was segmented but its mask could not be encoded for publishing (logged). */
    ENCODE_ERROR,
    /** Cluster: a worker node took the frame and dropped it (counted there by its own reason). */
    WORKER_DROPPED;

    /** The metric tag value. */
    public String asTag() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.fusionnode.pipeline;

import java.util.Locale;

/**
 * The node's own faults: a stage failed on input that was good and recovered (the error is logged
 * with its stack). Counted in {@code fusionnode_faults_total{fault}}, apart from bad input ({@link
 * BadInputReason}), which is the input's fault.
 */
public enum Fault {
    /** Projection threw on a frame; the frame went on camera-only. */
    PROJECTION_FAILED,
    /** The model threw on a batch; its frames were dropped ({@link DropReason#INFERENCE_ERROR}). */
    INFERENCE_FAILED,
    /** A segmented frame could not be encoded ({@link DropReason#ENCODE_ERROR}). */
    ENCODE_FAILED;

    /** The metric tag value. */
    public String asTag() {
        return name().toLowerCase(Locale.ROOT);
    }
}

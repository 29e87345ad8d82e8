package dev.fusionnode.pipeline;

/**
 * The end of one frame's path, sent to the credit stage on {@link Addresses#FRAME_END}: delivered
 * (its result went out) or dropped for a {@link DropReason}. The credit stage counts the drop in
 * the ledger and returns the frame's credit ({@link FrameDone}); no other stage does either.
 *
 * @param sensorId camera id
 * @param seq the frame's sequence number
 * @param dropped why it ended without a result; null when delivered
 */
public record FrameEnd(String sensorId, long seq, DropReason dropped) {
    /** The frame's result went out. */
    public static FrameEnd delivered(CameraFrame frame) {
        return new FrameEnd(frame.sensorId(), frame.seq(), null);
    }

    /** The frame ended without a result. */
    public static FrameEnd dropped(CameraFrame frame, DropReason reason) {
        return new FrameEnd(frame.sensorId(), frame.seq(), reason);
    }
}

package dev.fusionnode.replay;

/**
 * When the replay reads its next frames. Reading a frame (image and point-cloud decoding) takes a
 * core for some milliseconds; timed playback does it in the pipeline's gaps, so that it takes the
 * core neither from the frame being segmented nor from the last frame's delivery to subscribers,
 * which goes on after the frame has left the pipeline: while no frame is in flight, halfway from
 * the last frame's end to the next frame's due time. It reads at once when no more than one frame
 * is left buffered, and always at full speed, where there are no gaps.
 *
 * @param frames frames buffered ahead at most (read or being read)
 */
record ReadAhead(int frames) {
    /** {@link #readAt}: not until a frame is released or ends. */
    static final long LATER = Long.MAX_VALUE;

    /** {@link #readAt}, and a due time not known: at once. */
    static final long NOW = Long.MIN_VALUE;

    /**
     * When to start reading one more frame.
     *
     * @param fullSpeed whether frames are released as fast as the pipeline takes them
     * @param inFlight frames released and not yet ended
     * @param buffered frames read or being read and not yet released
     * @param lastEndNs when the last frame to end ended ({@link System#nanoTime()})
     * @param nextDueNs when the next buffered frame is due, or {@link #NOW} when not known
     * @return {@link #NOW}, a time to read at (read at once when it has passed), or {@link #LATER}
     */
    long readAt(boolean fullSpeed, int inFlight, int buffered, long lastEndNs, long nextDueNs) {
        if (buffered >= frames) {
            return LATER;
        }
        if (fullSpeed || buffered < frames - 1 || nextDueNs == NOW) {
            return NOW;
        }
        if (inFlight > 0) {
            return LATER;
        }
        long gap = nextDueNs - lastEndNs; // nanoTime values compare by difference
        return gap <= 0 ? NOW : lastEndNs + gap / 2;
    }
}

package dev.fusionnode.replay;

/**
 * When the replay reads its next frames. Reading a frame (image and point-cloud decoding) takes a
 * core for some milliseconds; timed playback does it in the pipeline's gaps, while no frame is in
 * flight, so that it does not take a core from the frame being segmented. It reads at once when no
 * more than one frame is left buffered, and always at full speed, where there are no gaps.
 *
 * @param frames frames buffered ahead at most (read or being read)
 */
record ReadAhead(int frames) {

    /**
     * Whether to start reading one more frame now.
     *
     * @param fullSpeed whether frames are released as fast as the pipeline takes them
     * @param inFlight frames released and not yet ended
     * @param buffered frames read or being read and not yet released
     */
    boolean readsNow(boolean fullSpeed, int inFlight, int buffered) {
        if (buffered >= frames) {
            return false;
        }
        return fullSpeed || inFlight == 0 || buffered < frames - 1;
    }
}

package dev.fusionnode.pipeline;

import java.util.HashSet;
import java.util.Set;

/**
 * The credits of a live source that cannot wait (pushed or captured sensors): at most {@code max}
 * of its camera frames are in the pipeline at once; a frame that comes without a free credit is not
 * admitted (the caller drops and counts it), and a credit comes back with the frame's {@link
 * FrameDone}. The same bound as a replay's {@code pipeline.maxInFlight}. For one thread (an event
 * loop).
 */
public final class CreditWindow {
    private final int max;
    private final Set<String> inFlight = new HashSet<>();

    /** A window of {@code max} credits. */
    public CreditWindow(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("a credit window needs at least 1 credit");
        }
        this.max = max;
    }

    /** Takes a credit for the frame; false when none is free. */
    public boolean tryAdmit(String sensorId, long seq) {
        if (inFlight.size() >= max) {
            return false;
        }
        return inFlight.add(key(sensorId, seq));
    }

    /** Returns the credit of a finished frame, if it is one of this window's. */
    public boolean returned(FrameDone done) {
        return inFlight.remove(key(done.sensorId(), done.seq()));
    }

    /** Frames admitted and not yet done. */
    public int inFlight() {
        return inFlight.size();
    }

    private static String key(String sensorId, long seq) {
        return sensorId + '\u0000' + seq;
    }
}

package dev.fusionnode.velodyne;

import java.util.Optional;

/** The return mode byte of a data packet. */
public enum ReturnMode {
    /** One block per firing, the strongest return. */
    STRONGEST(0x37),
    /** One block per firing, the last return. */
    LAST(0x38),
    /** Block pairs per firing: even blocks the last return, odd ones the strongest (or second). */
    DUAL(0x39);

    private final int code;

    ReturnMode(int code) {
        this.code = code;
    }

    /** The mode of a return-mode byte, if known. */
    public static Optional<ReturnMode> ofCode(int code) {
        for (ReturnMode m : values()) {
            if (m.code == code) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The byte. */
    public int code() {
        return code;
    }
}

package dev.fusionnode.io;

import dev.fusionnode.calib.Calibration;
import java.nio.file.Path;

/**
 * Reads a calibration file by its extension: {@code .txt} is KITTI style, {@code .json} the node's
 * own.
 */
public final class CalibrationFiles {
    private CalibrationFiles() {}

    /**
     * Reads {@code file}. A JSON calibration carries the raw image size its intrinsics refer to; a
     * KITTI file does not, so {@code kittiWidth x kittiHeight} (the image's size) supply it.
     */
    public static Calibration read(Path file, int kittiWidth, int kittiHeight) {
        if ("json".equals(Files2.extension(file))) {
            return JsonCalibration.read(file);
        }
        return KittiCalibration.read(file, kittiWidth, kittiHeight);
    }
}

package dev.fusionnode.synth;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code fusion-node synth} generates.
 *
 * @param out dataset root to write
 * @param frames number of frames
 * @param seed seed of everything random
 * @param profile dataset layout and sensor rig
 * @param conditions weather/light of consecutive sequences (frames are divided evenly)
 * @param width camera image width (the raw image resized to it)
 * @param height camera image height
 * @param beams LiDAR beams, 32 or 64
 * @param azimuthStepDeg LiDAR horizontal resolution, degrees
 * @param cameraNoise scale of the camera's sensor noise (1: as modelled, 0: none)
 * @param frameRateHz camera and LiDAR rate
 * @param startTimeNs capture time of the first camera frame
 * @param pngCompression zlib level of the PNGs written, 0-9, or {@link #FAST_PNG} for OpenCV's fast
 *     default (files about a third larger, encoding several times faster)
 * @param threads frames generated in parallel
 * @param unknownObjects put objects of no known class (a moose, spilled cargo) on the road ahead,
 *     annotated as background: frames the models never saw in training
 */
public record SynthOptions(
        Path out,
        int frames,
        long seed,
        SynthProfile profile,
        List<Condition> conditions,
        int width,
        int height,
        int beams,
        double azimuthStepDeg,
        double cameraNoise,
        double frameRateHz,
        long startTimeNs,
        int pngCompression,
        int threads,
        boolean unknownObjects) {

    /** {@link #pngCompression} value that selects OpenCV's fast default PNG encoding. */
    public static final int FAST_PNG = -1;

    /** Validates the values. */
    public SynthOptions {
        conditions = List.copyOf(conditions);
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be at least 1, got " + frames);
        }
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException("at least one condition is needed");
        }
        if (width < 16 || height < 16 || width > 8192 || height > 8192) {
            throw new IllegalArgumentException(
                    "image size must be between 16 and 8192, got " + width + "x" + height);
        }
        if (beams != 32 && beams != 64) {
            throw new IllegalArgumentException("beams must be 32 or 64, got " + beams);
        }
        if (!(azimuthStepDeg >= 0.05 && azimuthStepDeg <= 2)) {
            throw new IllegalArgumentException(
                    "azimuth step must be within 0.05..2 degrees, got " + azimuthStepDeg);
        }
        if (!(cameraNoise >= 0 && cameraNoise <= 10)) {
            throw new IllegalArgumentException(
                    "camera noise must be within 0..10, got " + cameraNoise);
        }
        if (!(frameRateHz > 0 && frameRateHz <= 100)) {
            throw new IllegalArgumentException("frame rate must be within (0, 100] Hz");
        }
        if (pngCompression < FAST_PNG || pngCompression > 9) {
            throw new IllegalArgumentException(
                    "PNG compression must be 0-9 (or -1 for OpenCV's default), got "
                            + pngCompression);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    /** Nanoseconds between frames. */
    public long periodNs() {
        return Math.round(1e9 / frameRateHz);
    }
}

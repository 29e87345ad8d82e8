package dev.fusionnode.calib;

/** Validation helpers shared by the camera models. */
final class CameraModels {
    private CameraModels() {}

    static void requirePositiveFinite(String name, double v) {
        if (!Double.isFinite(v) || v <= 0) {
            throw new IllegalArgumentException(
                    name + " must be a positive finite number, got " + v);
        }
    }

    static void requireFinite(Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            double v = (Double) namesAndValues[i + 1];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(namesAndValues[i] + " must be finite, got " + v);
            }
        }
    }
}

package dev.fusionnode.synth;

/**
 * What a synthetic surface is, for the annotations. Each dataset profile maps these to its own
 * class ids ({@link SynthProfile#classId}).
 */
public enum SemanticClass {
    /** Road, sidewalk, buildings, vegetation, sky, poles of street lamps. */
    BACKGROUND,
    /** Cars, vans, trucks (with their lights). */
    VEHICLE,
    /** Traffic sign plates and their poles. */
    SIGN,
    /** A rider and the bicycle. */
    CYCLIST,
    /** A walking person. */
    PEDESTRIAN
}

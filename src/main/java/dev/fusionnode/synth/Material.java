package dev.fusionnode.synth;

/**
 * How a surface looks and what it is.
 *
 * @param r albedo red, 0..1
 * @param g albedo green, 0..1
 * @param b albedo blue, 0..1
 * @param texture procedural pattern applied on top of the albedo
 * @param emission light the surface gives off at night (0: none; 1: as bright as a lamp)
 * @param semantic annotation class
 */
public record Material(
        double r, double g, double b, Texture texture, double emission, SemanticClass semantic) {

    /** Procedural surface patterns. */
    public enum Texture {
        /** Flat colour. */
        PLAIN,
        /** Facade with a grid of windows (lit at random at night). */
        WINDOWS,
        /** Leafy noise. */
        FOLIAGE,
        /** Dark reflective glass. */
        GLASS
    }

    /** A plain, non-emissive material. */
    public static Material plain(double r, double g, double b, SemanticClass semantic) {
        return new Material(r, g, b, Texture.PLAIN, 0, semantic);
    }

    /** A light source (lamp head, headlight, tail light). */
    public static Material light(double r, double g, double b, SemanticClass semantic) {
        return new Material(r, g, b, Texture.PLAIN, 1, semantic);
    }

    /** The same material with another texture. */
    public Material with(Texture t) {
        return new Material(r, g, b, t, emission, semantic);
    }
}

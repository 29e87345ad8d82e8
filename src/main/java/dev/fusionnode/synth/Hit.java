package dev.fusionnode.synth;

/**
 * The nearest surface a ray met (mutable, reused per thread): distance along the (unit) ray,
 * surface normal, material and the hit position in the part's own frame (for textures).
 */
final class Hit {
    double t;
    double nx;
    double ny;
    double nz;
    double localU;
    double localV;
    Material material;

    /** Per-entity seed, for textures that vary between entities. */
    long entitySeed;

    /** Clears the hit to "nothing closer than {@code maxT}". */
    void reset(double maxT) {
        t = maxT;
        material = null;
    }

    boolean found() {
        return material != null;
    }
}

package dev.fusionnode.synth;

/** A ray-castable solid in world coordinates (x forward along the road, y left, z up, metres). */
sealed interface Shape permits Box, Sphere {
    /**
     * Intersects the ray {@code o + t d} ({@code d} unit length) and, when it hits closer than
     * {@code hit.t}, updates {@code hit}'s distance, normal and local coordinates (not the
     * material).
     *
     * @return true when {@code hit} was updated
     */
    boolean intersect(double ox, double oy, double oz, double dx, double dy, double dz, Hit hit);

    /** Centre of a bounding sphere. */
    double centerX();

    /** Centre of a bounding sphere. */
    double centerY();

    /** Centre of a bounding sphere. */
    double centerZ();

    /** Radius of a bounding sphere. */
    double radius();
}

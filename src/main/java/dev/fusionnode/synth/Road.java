package dev.fusionnode.synth;

import java.util.SplittableRandom;

/**
 * The road the drive follows: a gently curving centreline {@code y = c(x)} and a cross-section of
 * two 3.5 m lanes, parking strips, curbs, sidewalks and verges.
 */
final class Road {
    /** Half width of the two driving lanes. */
    static final double LANES_HALF = 3.5;

    /** Outer edge of the parking strips. */
    static final double PARKING_EDGE = 5.5;

    /** Outer edge of the curb stones. */
    static final double CURB_EDGE = 5.7;

    /** Outer edge of the sidewalks. */
    static final double SIDEWALK_EDGE = 8.5;

    private final double a1;
    private final double k1;
    private final double p1;
    private final double a2;
    private final double k2;
    private final double p2;

    Road(SplittableRandom rnd) {
        a1 = 4 + 6 * rnd.nextDouble();
        k1 = 2 * Math.PI / (350 + 250 * rnd.nextDouble());
        p1 = 2 * Math.PI * rnd.nextDouble();
        a2 = 1 + 2 * rnd.nextDouble();
        k2 = 2 * Math.PI / (120 + 80 * rnd.nextDouble());
        p2 = 2 * Math.PI * rnd.nextDouble();
    }

    /** Centreline lateral position at {@code x}. */
    double centerY(double x) {
        return a1 * Math.sin(k1 * x + p1) + a2 * Math.sin(k2 * x + p2);
    }

    /** Heading of the road at {@code x} (radians, 0 = along +x). */
    double heading(double x) {
        return Math.atan(a1 * k1 * Math.cos(k1 * x + p1) + a2 * k2 * Math.cos(k2 * x + p2));
    }

    /** World y of the point at signed lateral offset {@code d} (left positive) from the centre. */
    double lateralToY(double x, double d) {
        return centerY(x) + d / Math.cos(heading(x));
    }

    /** Signed lateral offset of the ground point {@code (x, y)} from the centreline. */
    double lateral(double x, double y) {
        return (y - centerY(x)) * Math.cos(heading(x));
    }
}

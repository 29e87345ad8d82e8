package dev.fusionnode.synth;

import java.util.List;

/**
 * The world frozen at one instant, near the ego vehicle: the entities to cast rays against and the
 * ground plane. Thread-safe for casting (callers bring their own {@link Hit}).
 */
final class Scene {
    /** Marks a ground hit; the shader derives road, marking, sidewalk or grass from x, y. */
    static final Material GROUND = Material.plain(0.3, 0.3, 0.3, SemanticClass.BACKGROUND);

    private final Entity[] entities;
    private final List<double[]> lamps;
    private final Pose ego;
    private final double timeS;

    Scene(World world, double timeS, double behindM, double aheadM) {
        this.timeS = timeS;
        this.ego = world.ego(timeS);
        double ex = ego.t()[0];
        this.entities = world.snapshot(timeS, ex - behindM, ex + aheadM).toArray(Entity[]::new);
        this.lamps = world.lamps(ex - behindM - 40, ex + aheadM + 40);
    }

    /** The ego pose (vehicle into world) at this instant. */
    Pose ego() {
        return ego;
    }

    /** Time of the snapshot, seconds since the start of the sequence. */
    double timeS() {
        return timeS;
    }

    /** All entities of the snapshot. */
    Entity[] entities() {
        return entities;
    }

    /** Street-lamp light positions near the ego vehicle. */
    List<double[]> lamps() {
        return lamps;
    }

    /**
     * Finds the nearest surface along the unit ray among the ground and {@code candidates[0..n)}
     * (indices into {@link #entities()}); {@code hit.t} bounds the search.
     *
     * @return true when something was hit (false: sky)
     */
    boolean cast(
            double ox,
            double oy,
            double oz,
            double dx,
            double dy,
            double dz,
            int[] candidates,
            int n,
            Hit hit) {
        if (dz < -1e-9) {
            double tg = -oz / dz;
            if (tg < hit.t) {
                hit.t = tg;
                hit.nx = 0;
                hit.ny = 0;
                hit.nz = 1;
                hit.localU = ox + tg * dx;
                hit.localV = oy + tg * dy;
                hit.material = GROUND;
                hit.entitySeed = 0;
            }
        }
        for (int k = 0; k < n; k++) {
            Entity e = entities[candidates[k]];
            // bounding-sphere rejection
            double px = e.bx - ox;
            double py = e.by - oy;
            double pz = e.bz - oz;
            double tc = px * dx + py * dy + pz * dz;
            double d2 = px * px + py * py + pz * pz - tc * tc;
            double r2 = e.br * e.br;
            if (d2 > r2 || tc + e.br < 0 || tc - e.br > hit.t) {
                continue;
            }
            e.intersect(ox, oy, oz, dx, dy, dz, hit);
        }
        return hit.found();
    }
}

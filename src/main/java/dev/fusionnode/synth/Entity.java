package dev.fusionnode.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * One object of the world (a car, a pedestrian, a building, a tree): its parts and a bounding
 * sphere around all of them, so a ray can skip the whole object with one test.
 */
final class Entity {
    private final Shape[] shapes;
    private final Material[] materials;
    final double bx;
    final double by;
    final double bz;
    final double br;
    final long seed;

    private Entity(List<Shape> shapes, List<Material> materials, long seed) {
        this.shapes = shapes.toArray(Shape[]::new);
        this.materials = materials.toArray(Material[]::new);
        this.seed = seed;
        double sx = 0;
        double sy = 0;
        double sz = 0;
        for (Shape s : this.shapes) {
            sx += s.centerX();
            sy += s.centerY();
            sz += s.centerZ();
        }
        int n = this.shapes.length;
        bx = sx / n;
        by = sy / n;
        bz = sz / n;
        double r = 0;
        for (Shape s : this.shapes) {
            double dx = s.centerX() - bx;
            double dy = s.centerY() - by;
            double dz = s.centerZ() - bz;
            r = Math.max(r, Math.sqrt(dx * dx + dy * dy + dz * dz) + s.radius());
        }
        br = r;
    }

    /** Starts an entity whose textures vary with {@code seed}. */
    static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** Updates {@code hit} when a part is nearer than {@code hit.t}; true when one was. */
    boolean intersect(double ox, double oy, double oz, double dx, double dy, double dz, Hit hit) {
        boolean any = false;
        for (int i = 0; i < shapes.length; i++) {
            if (shapes[i].intersect(ox, oy, oz, dx, dy, dz, hit)) {
                hit.material = materials[i];
                hit.entitySeed = seed;
                any = true;
            }
        }
        return any;
    }

    /** Collects the parts of an entity. */
    static final class Builder {
        private final List<Shape> shapes = new ArrayList<>();
        private final List<Material> materials = new ArrayList<>();
        private final long seed;

        private Builder(long seed) {
            this.seed = seed;
        }

        Builder add(Shape s, Material m) {
            shapes.add(s);
            materials.add(m);
            return this;
        }

        Entity build() {
            if (shapes.isEmpty()) {
                throw new IllegalStateException("an entity needs at least one part");
            }
            return new Entity(shapes, materials, seed);
        }
    }
}

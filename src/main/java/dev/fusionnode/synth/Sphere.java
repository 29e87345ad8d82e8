package dev.fusionnode.synth;

/**
 * A sphere (tree crowns, heads, wheels seen edge-on are boxes).
 *
 * @param cx centre x
 * @param cy centre y
 * @param cz centre z
 * @param r radius
 */
record Sphere(double cx, double cy, double cz, double r) implements Shape {
    @Override
    public boolean intersect(
            double ox, double oy, double oz, double dx, double dy, double dz, Hit hit) {
        double px = ox - cx;
        double py = oy - cy;
        double pz = oz - cz;
        double b = px * dx + py * dy + pz * dz;
        double c = px * px + py * py + pz * pz - r * r;
        double disc = b * b - c;
        if (disc < 0) {
            return false;
        }
        double s = Math.sqrt(disc);
        double t = -b - s;
        if (t <= 1e-6) {
            t = -b + s;
        }
        if (t <= 1e-6 || t >= hit.t) {
            return false;
        }
        hit.t = t;
        hit.nx = (px + t * dx) / r;
        hit.ny = (py + t * dy) / r;
        hit.nz = (pz + t * dz) / r;
        hit.localU = Math.atan2(hit.ny, hit.nx) * r;
        hit.localV = pz + t * dz + r;
        return true;
    }

    @Override
    public double centerX() {
        return cx;
    }

    @Override
    public double centerY() {
        return cy;
    }

    @Override
    public double centerZ() {
        return cz;
    }

    @Override
    public double radius() {
        return r;
    }
}

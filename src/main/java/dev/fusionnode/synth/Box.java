package dev.fusionnode.synth;

/**
 * A box turned by {@code yaw} about the vertical axis.
 *
 * @param cx centre x
 * @param cy centre y
 * @param cz centre z
 * @param hx half length along its own x
 * @param hy half width along its own y
 * @param hz half height
 * @param yaw heading in radians
 * @param cos cosine of yaw
 * @param sin sine of yaw
 */
record Box(
        double cx,
        double cy,
        double cz,
        double hx,
        double hy,
        double hz,
        double yaw,
        double cos,
        double sin)
        implements Shape {

    /** A box from its centre, half extents and heading. */
    static Box of(double cx, double cy, double cz, double hx, double hy, double hz, double yaw) {
        return new Box(cx, cy, cz, hx, hy, hz, yaw, Math.cos(yaw), Math.sin(yaw));
    }

    /** A box standing on the ground (z from {@code z0} to {@code z0 + height}). */
    static Box standing(
            double cx,
            double cy,
            double z0,
            double length,
            double width,
            double height,
            double yaw) {
        return of(cx, cy, z0 + height / 2, length / 2, width / 2, height / 2, yaw);
    }

    @Override
    public boolean intersect(
            double ox, double oy, double oz, double dx, double dy, double dz, Hit hit) {
        double px = ox - cx;
        double py = oy - cy;
        // into the box frame: rotate by -yaw
        double lox = cos * px + sin * py;
        double loy = -sin * px + cos * py;
        double loz = oz - cz;
        double ldx = cos * dx + sin * dy;
        double ldy = -sin * dx + cos * dy;
        double tNear = Double.NEGATIVE_INFINITY;
        double tFar = Double.POSITIVE_INFINITY;
        int axis = -1;
        double sign = 0;
        // x slab
        if (Math.abs(ldx) < 1e-12) {
            if (Math.abs(lox) > hx) {
                return false;
            }
        } else {
            double inv = 1 / ldx;
            double t1 = (-hx - lox) * inv;
            double t2 = (hx - lox) * inv;
            double s = -1;
            if (t1 > t2) {
                double tmp = t1;
                t1 = t2;
                t2 = tmp;
                s = 1;
            }
            if (t1 > tNear) {
                tNear = t1;
                axis = 0;
                sign = s;
            }
            tFar = Math.min(tFar, t2);
        }
        if (Math.abs(ldy) < 1e-12) {
            if (Math.abs(loy) > hy) {
                return false;
            }
        } else {
            double inv = 1 / ldy;
            double t1 = (-hy - loy) * inv;
            double t2 = (hy - loy) * inv;
            double s = -1;
            if (t1 > t2) {
                double tmp = t1;
                t1 = t2;
                t2 = tmp;
                s = 1;
            }
            if (t1 > tNear) {
                tNear = t1;
                axis = 1;
                sign = s;
            }
            tFar = Math.min(tFar, t2);
        }
        if (Math.abs(dz) < 1e-12) {
            if (Math.abs(loz) > hz) {
                return false;
            }
        } else {
            double inv = 1 / dz;
            double t1 = (-hz - loz) * inv;
            double t2 = (hz - loz) * inv;
            double s = -1;
            if (t1 > t2) {
                double tmp = t1;
                t1 = t2;
                t2 = tmp;
                s = 1;
            }
            if (t1 > tNear) {
                tNear = t1;
                axis = 2;
                sign = s;
            }
            tFar = Math.min(tFar, t2);
        }
        if (axis < 0 || tNear > tFar || tNear <= 1e-6 || tNear >= hit.t) {
            return false;
        }
        hit.t = tNear;
        double hx0 = lox + tNear * ldx;
        double hy0 = loy + tNear * ldy;
        double hz0 = loz + tNear * dz;
        switch (axis) {
            case 0 -> {
                hit.nx = sign * cos;
                hit.ny = sign * sin;
                hit.nz = 0;
                hit.localU = hy0 + hy;
                hit.localV = hz0 + hz;
            }
            case 1 -> {
                hit.nx = -sign * sin;
                hit.ny = sign * cos;
                hit.nz = 0;
                hit.localU = hx0 + hx;
                hit.localV = hz0 + hz;
            }
            default -> {
                hit.nx = 0;
                hit.ny = 0;
                hit.nz = sign;
                hit.localU = hx0 + hx;
                hit.localV = hy0 + hy;
            }
        }
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
        return Math.sqrt(hx * hx + hy * hy + hz * hz);
    }
}

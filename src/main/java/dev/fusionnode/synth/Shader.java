package dev.fusionnode.synth;

import java.util.List;

/**
 * Turns ray hits into colours under a {@link Condition}: sun and sky by day, street lamps, the ego
 * vehicle's headlights and glowing windows and car lights by night, wet roads in rain, snow on
 * upward surfaces, and distance haze.
 */
final class Shader {
    private static final double[] LAMP_COLOUR = {1.0, 0.85, 0.6};

    private final Condition condition;
    private final Road road;
    private final List<double[]> lamps;
    private final double sunX;
    private final double sunY;
    private final double sunZ;
    private final double ambient;
    private final double sun;
    private final double[] zenith;
    private final double[] horizon;
    private final double visibility;
    // headlights
    private final double hlX;
    private final double hlY;
    private final double hlZ;
    private final double hlDx;
    private final double hlDy;
    private final double hlDz;

    Shader(Condition condition, Road road, Scene scene, double sunAzimuth) {
        this.condition = condition;
        this.road = road;
        this.lamps = scene.lamps();
        double elev = Math.toRadians(38);
        sunX = Math.cos(elev) * Math.cos(sunAzimuth);
        sunY = Math.cos(elev) * Math.sin(sunAzimuth);
        sunZ = Math.sin(elev);
        boolean overcast = condition.rain() > 0 || condition.snow() > 0;
        if (condition.night()) {
            ambient = 0.025;
            sun = 0;
            zenith = new double[] {0.01, 0.012, 0.03};
            horizon = new double[] {0.05, 0.045, 0.05};
            visibility = condition.rain() > 0 ? 140 : 350;
        } else if (overcast) {
            ambient = condition.snow() > 0 ? 0.8 : 0.62;
            sun = 0.1;
            zenith =
                    condition.snow() > 0
                            ? new double[] {0.74, 0.76, 0.80}
                            : new double[] {0.50, 0.52, 0.56};
            horizon =
                    condition.snow() > 0
                            ? new double[] {0.85, 0.86, 0.88}
                            : new double[] {0.62, 0.64, 0.67};
            visibility = condition.snow() > 0 ? 80 : 150;
        } else {
            ambient = 0.45;
            sun = 0.65;
            zenith = new double[] {0.35, 0.55, 0.90};
            horizon = new double[] {0.78, 0.85, 0.93};
            visibility = 700;
        }
        Pose ego = scene.ego();
        double[] o = new double[3];
        ego.apply(3.7, 0, 0.7, o);
        hlX = o[0];
        hlY = o[1];
        hlZ = o[2];
        double[] d = new double[3];
        ego.rotate(Math.cos(0.05), 0, -Math.sin(0.05), d);
        hlDx = d[0];
        hlDy = d[1];
        hlDz = d[2];
    }

    /** Sky colour along a ray (the ray hit nothing). */
    void sky(double dz, double[] out) {
        double f = Math.max(0, Math.min(1, dz * 3));
        for (int i = 0; i < 3; i++) {
            out[i] = horizon[i] + (zenith[i] - horizon[i]) * f;
        }
    }

    /** Colour of the surface {@code hit} along the ray from {@code o} in direction {@code d}. */
    void shade(
            Hit hit,
            double ox,
            double oy,
            double oz,
            double dx,
            double dy,
            double dz,
            double[] out) {
        double px = ox + hit.t * dx;
        double py = oy + hit.t * dy;
        double pz = oz + hit.t * dz;
        Material m = hit.material;
        double ar;
        double ag;
        double ab;
        double glow = 0;
        double[] glowColour = null;
        boolean groundHit = m == Scene.GROUND;
        if (groundHit) {
            double[] g = ground(px, py);
            ar = g[0];
            ag = g[1];
            ab = g[2];
        } else {
            ar = m.r();
            ag = m.g();
            ab = m.b();
            switch (m.texture()) {
                case WINDOWS -> {
                    double wu = hit.localU / 3.2;
                    double wv = hit.localV / 3.0;
                    double fu = wu - Math.floor(wu);
                    double fv = wv - Math.floor(wv);
                    if (hit.localV > 1.2 && fu > 0.25 && fu < 0.75 && fv > 0.35 && fv < 0.8) {
                        ar = 0.16;
                        ag = 0.19;
                        ab = 0.24;
                        if (condition.night()
                                && Noise.unit(
                                                hit.entitySeed,
                                                (long) Math.floor(wu),
                                                (long) Math.floor(wv))
                                        < 0.35) {
                            glow = 0.85;
                            glowColour = LAMP_COLOUR;
                        }
                    }
                }
                case FOLIAGE -> {
                    double k =
                            0.7
                                    + 0.6
                                            * Noise.unit(
                                                    hit.entitySeed,
                                                    (long) Math.floor(hit.localU * 4),
                                                    (long) Math.floor(hit.localV * 4));
                    ar *= k;
                    ag *= k;
                    ab *= k;
                }
                case GLASS, PLAIN -> {}
            }
            if (m.emission() > 0) {
                glow = condition.night() ? 1.3 : 0.35;
                glowColour = new double[] {m.r(), m.g(), m.b()};
            }
        }
        // snow settles on upward surfaces
        if (condition.snow() > 0 && hit.nz > 0.7) {
            double cover = groundHit ? snowCover(px, py) : 0.85;
            ar += (0.93 - ar) * cover;
            ag += (0.94 - ag) * cover;
            ab += (0.96 - ab) * cover;
        }
        if (condition.rain() > 0 && groundHit) {
            ar *= 0.7;
            ag *= 0.7;
            ab *= 0.72;
        }
        double ndl = Math.max(0, hit.nx * sunX + hit.ny * sunY + hit.nz * sunZ);
        double light = ambient * (0.75 + 0.25 * Math.max(0, hit.nz)) + sun * ndl;
        double lr = light;
        double lg = light;
        double lb = light;
        if (condition.night()) {
            for (double[] l : lamps) {
                double lx = l[0] - px;
                double ly = l[1] - py;
                double lz = l[2] - pz;
                double d2 = lx * lx + ly * ly + lz * lz;
                if (d2 > 1600) {
                    continue;
                }
                double inv = 1 / Math.sqrt(d2);
                double ndotl = (hit.nx * lx + hit.ny * ly + hit.nz * lz) * inv;
                if (ndotl <= 0) {
                    continue;
                }
                double e = 1.4 * ndotl / (1 + d2 / 30);
                lr += e * LAMP_COLOUR[0];
                lg += e * LAMP_COLOUR[1];
                lb += e * LAMP_COLOUR[2];
            }
            double hx = px - hlX;
            double hy = py - hlY;
            double hz = pz - hlZ;
            double hd2 = hx * hx + hy * hy + hz * hz;
            double hinv = 1 / Math.sqrt(hd2);
            double cosang = (hx * hlDx + hy * hlDy + hz * hlDz) * hinv;
            double spot = Math.max(0, Math.min(1, (cosang - 0.92) / 0.05));
            if (spot > 0) {
                double ndotl = -(hit.nx * hx + hit.ny * hy + hit.nz * hz) * hinv;
                if (ndotl > 0) {
                    double e = 4.0 * spot * ndotl / (1 + hd2 / 40);
                    lr += e;
                    lg += e * 0.97;
                    lb += e * 0.9;
                }
            }
        }
        double r = ar * lr;
        double g = ag * lg;
        double b = ab * lb;
        if (m.texture() == Material.Texture.GLASS && !groundHit) {
            double fres = 0.25 * (1 - Math.abs(hit.nx * dx + hit.ny * dy + hit.nz * dz));
            r += fres * horizon[0];
            g += fres * horizon[1];
            b += fres * horizon[2];
        }
        if (glowColour != null) {
            r += glow * glowColour[0];
            g += glow * glowColour[1];
            b += glow * glowColour[2];
        }
        double fog = Math.exp(-hit.t / visibility);
        out[0] = r * fog + horizon[0] * (1 - fog);
        out[1] = g * fog + horizon[1] * (1 - fog);
        out[2] = b * fog + horizon[2] * (1 - fog);
    }

    private double snowCover(double x, double y) {
        double d = Math.abs(road.lateral(x, y));
        if (d < Road.LANES_HALF) {
            return 0.25 + 0.3 * Noise.unit(7, (long) Math.floor(x * 2), (long) Math.floor(y * 2));
        }
        return d < Road.SIDEWALK_EDGE ? 0.7 : 0.95;
    }

    private double[] ground(double x, double y) {
        double d = road.lateral(x, y);
        double ad = Math.abs(d);
        double n = Noise.unit(3, (long) Math.floor(x * 4), (long) Math.floor(y * 4));
        if (ad < Road.LANES_HALF) {
            boolean centre = ad < 0.08 && Math.floorMod((long) Math.floor(x), 9L) < 3;
            boolean edge = ad > 3.28 && ad < 3.4;
            if (centre || edge) {
                return new double[] {0.85, 0.85, 0.82};
            }
            double v = 0.28 + 0.05 * n;
            return new double[] {v, v, v + 0.01};
        }
        if (ad < Road.PARKING_EDGE) {
            double v = 0.32 + 0.05 * n;
            return new double[] {v, v, v};
        }
        if (ad < Road.CURB_EDGE) {
            return new double[] {0.62, 0.62, 0.6};
        }
        if (ad < Road.SIDEWALK_EDGE) {
            double fu = x - Math.floor(x);
            double fv = ad - Math.floor(ad);
            double groove = fu < 0.04 || fv < 0.04 ? 0.75 : 1;
            double v = (0.55 + 0.06 * n) * groove;
            return new double[] {v, v * 0.97, v * 0.92};
        }
        return new double[] {0.22 + 0.08 * n, 0.38 + 0.1 * n, 0.15 + 0.05 * n};
    }
}

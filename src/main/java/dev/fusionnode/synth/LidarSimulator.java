package dev.fusionnode.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Sweeps a {@link LidarModel} through a {@link Scene}: one ray per beam and azimuth step, the
 * nearest surface within range gives a return with Gaussian range noise; precipitation drops
 * returns and adds spurious ones close to the sensor. Entities are binned by azimuth first, so a
 * ray only tests the objects in its direction. The sweep is taken as instantaneous (no motion
 * skew).
 */
final class LidarSimulator {
    private static final int BINS = 360;

    private final LidarModel model;
    private final double azFromDeg;
    private final double azToDeg;
    private final double[] sinEl;
    private final double[] cosEl;

    /**
     * @param azFromDeg first azimuth swept (degrees, 0 = forward, positive to the left)
     * @param azToDeg last azimuth swept
     */
    LidarSimulator(LidarModel model, double azFromDeg, double azToDeg) {
        this.model = model;
        this.azFromDeg = azFromDeg;
        this.azToDeg = azToDeg;
        int n = model.beams();
        sinEl = new double[n];
        cosEl = new double[n];
        for (int i = 0; i < n; i++) {
            double e = Math.toRadians(model.elevationsDeg()[i]);
            sinEl[i] = Math.sin(e);
            cosEl[i] = Math.cos(e);
        }
    }

    /** Returns the points, x y z per point, in the LiDAR frame. */
    float[] sweep(Scene scene, Pose worldFromLidar, Condition condition, long frameSeed) {
        SplittableRandom rnd = new SplittableRandom(frameSeed);
        Entity[] entities = scene.entities();
        int[][] bins = binByAzimuth(entities, worldFromLidar);
        double ox = worldFromLidar.t()[0];
        double oy = worldFromLidar.t()[1];
        double oz = worldFromLidar.t()[2];
        double[] r = worldFromLidar.r();
        int steps = (int) Math.floor((azToDeg - azFromDeg) / model.azimuthStepDeg()) + 1;
        float[] out = new float[steps * model.beams() * 3];
        int count = 0;
        Hit hit = new Hit();
        double dropout = condition.lidarDropout();
        double spurious = condition.lidarSpurious();
        for (int s = 0; s < steps; s++) {
            double az = Math.toRadians(azFromDeg + s * model.azimuthStepDeg());
            double ca = Math.cos(az);
            double sa = Math.sin(az);
            int bin = Math.floorMod((int) Math.floor(Math.toDegrees(az)), BINS);
            int[] cand = bins[bin];
            for (int b = 0; b < model.beams(); b++) {
                double lx = cosEl[b] * ca;
                double ly = cosEl[b] * sa;
                double lz = sinEl[b];
                double u = rnd.nextDouble();
                double range;
                if (u < spurious) {
                    range = 0.8 + rnd.nextDouble() * 5;
                } else {
                    double dx = r[0] * lx + r[1] * ly + r[2] * lz;
                    double dy = r[3] * lx + r[4] * ly + r[5] * lz;
                    double dz = r[6] * lx + r[7] * ly + r[8] * lz;
                    hit.reset(model.maxRangeM());
                    if (!scene.cast(ox, oy, oz, dx, dy, dz, cand, cand.length, hit)) {
                        continue;
                    }
                    if (u < spurious + dropout * Math.min(1, 0.3 + hit.t / 60)) {
                        continue;
                    }
                    range = hit.t + model.rangeNoiseM() * rnd.nextGaussian();
                }
                out[count++] = (float) (lx * range);
                out[count++] = (float) (ly * range);
                out[count++] = (float) (lz * range);
            }
        }
        return Arrays.copyOf(out, count);
    }

    /** Entity indices per 1-degree azimuth bin of the LiDAR frame. */
    private static int[][] binByAzimuth(Entity[] entities, Pose worldFromLidar) {
        Pose lidarFromWorld = worldFromLidar.inverse();
        int[] sizes = new int[BINS];
        int[][] lists = new int[BINS][entities.length];
        double[] c = new double[3];
        for (int i = 0; i < entities.length; i++) {
            Entity e = entities[i];
            lidarFromWorld.apply(e.bx, e.by, e.bz, c);
            double horiz = Math.sqrt(c[0] * c[0] + c[1] * c[1]);
            if (horiz <= e.br) {
                for (int b = 0; b < BINS; b++) {
                    lists[b][sizes[b]++] = i;
                }
                continue;
            }
            double az = Math.toDegrees(Math.atan2(c[1], c[0]));
            double half = Math.toDegrees(Math.asin(e.br / horiz)) + 1;
            int from = (int) Math.floor(az - half);
            int to = (int) Math.floor(az + half);
            for (int b = from; b <= to; b++) {
                int k = Math.floorMod(b, BINS);
                lists[k][sizes[k]++] = i;
            }
        }
        int[][] out = new int[BINS][];
        for (int b = 0; b < BINS; b++) {
            out[b] = Arrays.copyOf(lists[b], sizes[b]);
        }
        return out;
    }
}

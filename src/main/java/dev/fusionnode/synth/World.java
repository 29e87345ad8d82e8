package dev.fusionnode.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A procedurally built street and its traffic: buildings, trees, lamps, signs and parked cars along
 * a curving road, plus vehicles, pedestrians and cyclists that move with time, and the ego
 * vehicle's trajectory. Everything follows from the seed.
 */
final class World {
    private static final double EGO_LANE = -Road.LANES_HALF / 2;

    private final Road road;
    private final List<Entity> statics = new ArrayList<>();
    private final List<double[]> lamps = new ArrayList<>();
    private final List<Agent> agents = new ArrayList<>();
    private final double egoSpeed;
    private final double egoPhase;

    /** A moving participant: its entity at a time, or null while it is off the map. */
    private interface Agent {
        Entity at(double timeS, double egoX);
    }

    World(long seed, double durationS) {
        this(seed, durationS, false);
    }

    /**
     * @param unknownObjects also an object of no known class on the road ahead at every moment (a
     *     moose crossing, a road-works barrier, balloons, spilled cargo), annotated as background
     */
    World(long seed, double durationS, boolean unknownObjects) {
        SplittableRandom rnd = new SplittableRandom(seed);
        road = new Road(rnd.split());
        egoSpeed = 7 + 3 * rnd.nextDouble();
        egoPhase = 2 * Math.PI * rnd.nextDouble();
        double xMin = -120;
        double xMax = egoSpeed * durationS + 260;
        buildStatics(rnd.split(), xMin, xMax);
        buildTraffic(rnd.split(), xMin, xMax, durationS);
        if (unknownObjects) {
            buildUnknown(rnd.split());
        }
        statics.sort(Comparator.comparingDouble(e -> e.bx));
    }

    Road road() {
        return road;
    }

    /** Ego (rear axle centre on the ground) pose in the world at {@code t} seconds. */
    Pose ego(double t) {
        double x = egoX(t);
        double d = EGO_LANE + 0.15 * Math.sin(0.4 * t + egoPhase);
        double dd = 0.06 * Math.cos(0.4 * t + egoPhase);
        double yaw = road.heading(x) + Math.atan2(dd, egoSpeed);
        double pitch = 0.004 * Math.sin(2.3 * t + egoPhase) + 0.002 * Math.sin(5.1 * t);
        double roll = 0.003 * Math.sin(1.7 * t + 2 * egoPhase);
        return Pose.of(x, road.lateralToY(x, d), 0, yaw, pitch, roll);
    }

    private double egoX(double t) {
        return egoSpeed * t + 1.5 * Math.sin(0.3 * t + egoPhase);
    }

    /** Everything whose bounding sphere reaches into {@code [xMin, xMax]} at time {@code t}. */
    List<Entity> snapshot(double t, double xMin, double xMax) {
        List<Entity> out = new ArrayList<>();
        for (Entity e : statics) {
            if (e.bx + e.br >= xMin && e.bx - e.br <= xMax) {
                out.add(e);
            }
        }
        double ex = egoX(t);
        for (Agent a : agents) {
            Entity e = a.at(t, ex);
            if (e != null && e.bx + e.br >= xMin && e.bx - e.br <= xMax) {
                out.add(e);
            }
        }
        return out;
    }

    /** Street lamp light positions with x in {@code [xMin, xMax]}. */
    List<double[]> lamps(double xMin, double xMax) {
        List<double[]> out = new ArrayList<>();
        for (double[] l : lamps) {
            if (l[0] >= xMin && l[0] <= xMax) {
                out.add(l);
            }
        }
        return out;
    }

    private void buildStatics(SplittableRandom rnd, double xMin, double xMax) {
        for (int side = -1; side <= 1; side += 2) {
            // buildings
            double x = xMin + rnd.nextDouble() * 10;
            while (x < xMax) {
                double len = 12 + rnd.nextDouble() * 20;
                double depth = 10 + rnd.nextDouble() * 6;
                double setback = 10.5 + rnd.nextDouble() * 3;
                double height = 6 + rnd.nextDouble() * 18;
                double cx = x + len / 2;
                double yaw = road.heading(cx);
                statics.add(
                        Props.building(
                                cx,
                                road.lateralToY(cx, side * (setback + depth / 2)),
                                len,
                                depth,
                                height,
                                yaw,
                                rnd,
                                rnd.nextLong()));
                x += len + 3 + rnd.nextDouble() * 12;
            }
            // trees
            x = xMin + rnd.nextDouble() * 8;
            while (x < xMax) {
                if (rnd.nextDouble() < 0.7) {
                    double d = side * (9.3 + rnd.nextDouble() * 0.6);
                    statics.add(Props.tree(x, road.lateralToY(x, d), rnd, rnd.nextLong()));
                }
                x += 9 + rnd.nextDouble() * 12;
            }
            // parked cars
            x = xMin;
            while (x < xMax) {
                if (rnd.nextDouble() < 0.42) {
                    double cx = x + 3;
                    double yaw = road.heading(cx) + (side > 0 ? Math.PI : 0);
                    Props.VehicleKind kind = Props.VehicleKind.pick(rnd);
                    if (kind == Props.VehicleKind.TRUCK) {
                        kind = Props.VehicleKind.VAN;
                    }
                    statics.add(
                            Props.vehicle(
                                    kind,
                                    Props.carColour(rnd),
                                    cx,
                                    road.lateralToY(cx, side * 4.5),
                                    yaw,
                                    rnd.nextLong()));
                }
                x += 6.2 + rnd.nextDouble() * 0.8;
            }
        }
        // lamps, alternating sides
        int side = 1;
        for (double x = xMin + rnd.nextDouble() * 20; x < xMax; x += 26 + rnd.nextDouble() * 6) {
            double yaw = road.heading(x);
            double d = side * 6.0;
            double y = road.lateralToY(x, d);
            statics.add(Props.lamp(x, y, yaw, -side, rnd.nextLong()));
            lamps.add(Props.lampLight(x, y, yaw, -side));
            side = -side;
        }
        // traffic signs, mostly on the right
        for (double x = xMin + rnd.nextDouble() * 20; x < xMax; x += 18 + rnd.nextDouble() * 30) {
            int s = rnd.nextDouble() < 0.8 ? -1 : 1;
            double d = s * (6.0 + rnd.nextDouble() * 0.5);
            statics.add(Props.sign(x, road.lateralToY(x, d), road.heading(x), rnd, rnd.nextLong()));
        }
    }

    /**
     * Three objects of no known class always ahead of the ego vehicle (about 8, 13 and 18 m away,
     * in the ego lane, the other lane and at the right edge), each changing every second between a
     * moose standing across the road, a striped road-works barrier, balloons hovering over the road
     * and spilled cargo in bright colours; drawn from a separate random stream, so the rest of the
     * world stays the same.
     */
    private void buildUnknown(SplittableRandom rnd) {
        double[] lanes = {EGO_LANE, -EGO_LANE, EGO_LANE - 2.2};
        for (int k = 0; k < 3; k++) {
            double phase = rnd.nextDouble() * 6.28;
            long seed = rnd.nextLong();
            double gap = 8 + 5 * k;
            double lane = lanes[k];
            int shift = k;
            agents.add(
                    (t, ex) -> {
                        double x = ex + gap + 2 * Math.sin(0.21 * t + phase);
                        double d = lane + 0.6 * Math.sin(0.17 * t + 2 * phase);
                        double yaw = road.heading(x);
                        double y = road.lateralToY(x, d);
                        return switch ((((int) Math.floor(t)) + shift) % 4) {
                            case 0 -> Props.moose(x, y, yaw + Math.PI / 2, seed);
                            case 1 -> Props.barrier(x, y, yaw, seed);
                            case 2 -> Props.balloons(x, y, yaw, seed);
                            default -> Props.cargo(x, y, yaw, seed);
                        };
                    });
        }
    }

    private void buildTraffic(SplittableRandom rnd, double xMin, double xMax, double durationS) {
        // a car ahead in the ego lane, keeping a varying gap
        if (rnd.nextDouble() < 0.75) {
            Props.VehicleKind kind = Props.VehicleKind.pick(rnd);
            double[] colour = Props.carColour(rnd);
            double gap0 = 13 + rnd.nextDouble() * 6;
            double ph = rnd.nextDouble() * 6.28;
            long seed = rnd.nextLong();
            agents.add(
                    (t, ex) -> {
                        double x = ex + kind.length / 2 + gap0 + 7 * Math.sin(0.13 * t + ph);
                        return Props.vehicle(
                                kind,
                                colour,
                                x,
                                road.lateralToY(x, EGO_LANE),
                                road.heading(x),
                                seed);
                    });
        }
        // oncoming traffic
        double span = xMax - xMin + 12 * durationS + 300;
        for (double x0 = xMin; x0 < xMin + span; x0 += 18 + rnd.nextDouble() * 45) {
            Props.VehicleKind kind = Props.VehicleKind.pick(rnd);
            double[] colour = Props.carColour(rnd);
            double v = 8 + rnd.nextDouble() * 5;
            long seed = rnd.nextLong();
            double start = x0;
            agents.add(
                    (t, ex) -> {
                        double x = start - v * t;
                        return Props.vehicle(
                                kind,
                                colour,
                                x,
                                road.lateralToY(x, -EGO_LANE),
                                road.heading(x) + Math.PI,
                                seed);
                    });
        }
        // pedestrians walking on the sidewalks
        for (int side = -1; side <= 1; side += 2) {
            for (double x0 = xMin; x0 < xMax; x0 += 7 + rnd.nextDouble() * 16) {
                double d = side * (Road.CURB_EDGE + 0.6 + rnd.nextDouble() * 2.0);
                double dir = rnd.nextBoolean() ? 1 : -1;
                double v = 1.0 + rnd.nextDouble() * 0.6;
                double h = 1.55 + rnd.nextDouble() * 0.4;
                long seed = rnd.nextLong();
                double start = x0;
                agents.add(
                        (t, ex) -> {
                            double x = start + dir * v * t;
                            double yaw = road.heading(x) + (dir > 0 ? 0 : Math.PI);
                            double phase = 2 * Math.PI * (v * t / (1.4 * h / 1.75));
                            return Props.pedestrian(x, road.lateralToY(x, d), yaw, phase, h, seed);
                        });
            }
        }
        // pedestrians crossing ahead of the ego vehicle, done before it arrives
        for (double x0 = xMin + 60; x0 < xMax; x0 += 60 + rnd.nextDouble() * 90) {
            double xc = x0;
            double from = rnd.nextBoolean() ? 1 : -1;
            double h = 1.55 + rnd.nextDouble() * 0.4;
            long seed = rnd.nextLong();
            agents.add(
                    (t, ex) -> {
                        double dist = xc - ex;
                        if (dist < 18 || dist > 95) {
                            return null;
                        }
                        double f = (95 - dist) / 77; // 0..1 across the road
                        double d =
                                from * (Road.SIDEWALK_EDGE - 1 - f * 2 * (Road.SIDEWALK_EDGE - 1));
                        double yaw = road.heading(xc) + (from > 0 ? -Math.PI / 2 : Math.PI / 2);
                        double phase = 2 * Math.PI * f * 10;
                        return Props.pedestrian(xc, road.lateralToY(xc, d), yaw, phase, h, seed);
                    });
        }
        // cyclists near the right edge, same direction, slower than the ego vehicle
        for (double x0 = xMin + 30; x0 < xMax; x0 += 35 + rnd.nextDouble() * 70) {
            double v = 3.5 + rnd.nextDouble() * 2;
            int side = rnd.nextDouble() < 0.75 ? -1 : 1;
            long seed = rnd.nextLong();
            double start = x0;
            agents.add(
                    (t, ex) -> {
                        double x = start + side * -1 * v * t;
                        double yaw = road.heading(x) + (side < 0 ? 0 : Math.PI);
                        double phase = v * t / 0.35;
                        return Props.cyclist(x, road.lateralToY(x, side * 3.05), yaw, phase, seed);
                    });
        }
    }
}

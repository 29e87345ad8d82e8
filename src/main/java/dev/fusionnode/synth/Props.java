package dev.fusionnode.synth;

import static dev.fusionnode.synth.SemanticClass.BACKGROUND;
import static dev.fusionnode.synth.SemanticClass.CYCLIST;
import static dev.fusionnode.synth.SemanticClass.PEDESTRIAN;
import static dev.fusionnode.synth.SemanticClass.SIGN;
import static dev.fusionnode.synth.SemanticClass.VEHICLE;

import java.util.SplittableRandom;

/** Builds the objects of the world out of boxes and spheres. */
final class Props {
    private static final double[][] CAR_COLOURS = {
        {0.80, 0.80, 0.82}, {0.10, 0.10, 0.12}, {0.55, 0.06, 0.06}, {0.12, 0.22, 0.50},
        {0.45, 0.47, 0.50}, {0.90, 0.90, 0.88}, {0.20, 0.35, 0.22}, {0.70, 0.55, 0.15}
    };
    private static final double[][] FACADES = {
        {0.78, 0.72, 0.60},
        {0.60, 0.60, 0.62},
        {0.62, 0.34, 0.26},
        {0.85, 0.85, 0.82},
        {0.50, 0.45, 0.40},
        {0.70, 0.62, 0.50}
    };
    private static final double[][] CLOTHES = {
        {0.15, 0.15, 0.20},
        {0.55, 0.10, 0.10},
        {0.20, 0.30, 0.55},
        {0.75, 0.70, 0.55},
        {0.10, 0.40, 0.25},
        {0.85, 0.85, 0.85},
        {0.35, 0.25, 0.15}
    };
    private static final double[][] SIGN_COLOURS = {
        {0.10, 0.25, 0.75}, {0.85, 0.10, 0.10}, {0.95, 0.80, 0.10}, {0.92, 0.92, 0.92}
    };
    private static final Material TYRE = Material.plain(0.05, 0.05, 0.05, VEHICLE);
    private static final Material HEADLIGHT = Material.light(1.0, 0.97, 0.85, VEHICLE);
    private static final Material TAIL_LIGHT = Material.light(0.9, 0.05, 0.05, VEHICLE);
    private static final Material SKIN_BG = Material.plain(0.80, 0.62, 0.50, BACKGROUND);
    private static final Material METAL = Material.plain(0.40, 0.40, 0.42, BACKGROUND);
    private static final Material LAMP = Material.light(1.0, 0.85, 0.55, BACKGROUND);
    private static final Material BARK = Material.plain(0.30, 0.22, 0.14, BACKGROUND);

    private Props() {}

    /** Vehicle kinds and their sizes. */
    enum VehicleKind {
        CAR(4.5, 1.8, 1.45),
        SUV(4.8, 1.9, 1.7),
        VAN(5.3, 2.0, 2.3),
        TRUCK(8.5, 2.5, 3.3);

        final double length;
        final double width;
        final double height;

        VehicleKind(double length, double width, double height) {
            this.length = length;
            this.width = width;
            this.height = height;
        }

        static VehicleKind pick(SplittableRandom rnd) {
            double p = rnd.nextDouble();
            return p < 0.55 ? CAR : p < 0.8 ? SUV : p < 0.95 ? VAN : TRUCK;
        }
    }

    /** A vehicle whose rear-axle-centre is at ground point {@code (x, y)}, heading {@code yaw}. */
    static Entity vehicle(
            VehicleKind kind, double[] colour, double x, double y, double yaw, long seed) {
        double c = Math.cos(yaw);
        double s = Math.sin(yaw);
        Material body = Material.plain(colour[0], colour[1], colour[2], VEHICLE);
        Material glass = new Material(0.08, 0.10, 0.12, Material.Texture.GLASS, 0, VEHICLE);
        Entity.Builder b = Entity.builder(seed);
        double len = kind.length;
        double wid = kind.width;
        double clearance = 0.25;
        boolean boxy = kind == VehicleKind.VAN || kind == VehicleKind.TRUCK;
        double bodyH = boxy ? kind.height - clearance : 0.75;
        b.add(Box.standing(x, y, clearance, len, wid, bodyH, yaw), body);
        if (boxy) {
            // windscreen band at the front
            double fx = x + c * (len / 2 - 0.05);
            double fy = y + s * (len / 2 - 0.05);
            b.add(
                    Box.of(
                            fx,
                            fy,
                            clearance + bodyH * 0.75,
                            0.06,
                            wid / 2 - 0.1,
                            bodyH * 0.15,
                            yaw),
                    glass);
        } else {
            double cabinLen = len * 0.5;
            double off = -len * 0.05;
            b.add(
                    Box.standing(
                            x + c * off,
                            y + s * off,
                            clearance + bodyH,
                            cabinLen,
                            wid - 0.2,
                            kind.height - clearance - bodyH,
                            yaw),
                    glass);
        }
        double wheelR = kind == VehicleKind.TRUCK ? 0.5 : 0.33;
        for (int fr = -1; fr <= 1; fr += 2) {
            for (int lr = -1; lr <= 1; lr += 2) {
                double ax = fr * (len / 2 - wheelR - 0.35);
                double ay = lr * (wid / 2 - 0.1);
                b.add(
                        Box.of(
                                x + c * ax - s * ay,
                                y + s * ax + c * ay,
                                wheelR,
                                wheelR,
                                0.12,
                                wheelR,
                                yaw),
                        TYRE);
            }
        }
        for (int lr = -1; lr <= 1; lr += 2) {
            double ay = lr * (wid / 2 - 0.25);
            double front = len / 2 + 0.01;
            b.add(
                    Box.of(
                            x + c * front - s * ay,
                            y + s * front + c * ay,
                            clearance + 0.5,
                            0.03,
                            0.14,
                            0.07,
                            yaw),
                    HEADLIGHT);
            b.add(
                    Box.of(
                            x - c * front - s * ay,
                            y - s * front + c * ay,
                            clearance + 0.55,
                            0.03,
                            0.12,
                            0.08,
                            yaw),
                    TAIL_LIGHT);
        }
        return b.build();
    }

    /** A car colour. */
    static double[] carColour(SplittableRandom rnd) {
        return CAR_COLOURS[rnd.nextInt(CAR_COLOURS.length)];
    }

    /**
     * A walking person at {@code (x, y)} heading {@code yaw}; {@code phase} is the gait phase in
     * radians (legs and arms swing with it).
     */
    static Entity pedestrian(
            double x, double y, double yaw, double phase, double height, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] top = CLOTHES[r.nextInt(CLOTHES.length)];
        double[] legs = CLOTHES[r.nextInt(CLOTHES.length)];
        Material shirt = Material.plain(top[0], top[1], top[2], PEDESTRIAN);
        Material trousers = Material.plain(legs[0], legs[1], legs[2], PEDESTRIAN);
        Material skin = Material.plain(SKIN_BG.r(), SKIN_BG.g(), SKIN_BG.b(), PEDESTRIAN);
        double k = height / 1.75;
        double c = Math.cos(yaw);
        double s = Math.sin(yaw);
        Entity.Builder b = Entity.builder(seed);
        double swing = 0.28 * k * Math.sin(phase);
        for (int lr = -1; lr <= 1; lr += 2) {
            double ax = lr * swing;
            double ay = lr * 0.1 * k;
            b.add(
                    Box.standing(
                            x + c * ax - s * ay,
                            y + s * ax + c * ay,
                            0,
                            0.14 * k,
                            0.13 * k,
                            0.86 * k,
                            yaw),
                    trousers);
            double armX = -lr * swing * 0.8;
            double armY = lr * 0.26 * k;
            b.add(
                    Box.standing(
                            x + c * armX - s * armY,
                            y + s * armX + c * armY,
                            0.82 * k,
                            0.09 * k,
                            0.09 * k,
                            0.6 * k,
                            yaw),
                    shirt);
        }
        b.add(Box.standing(x, y, 0.84 * k, 0.24 * k, 0.42 * k, 0.62 * k, yaw), shirt);
        b.add(new Sphere(x, y, 1.60 * k, 0.12 * k), skin);
        return b.build();
    }

    /** A cyclist riding along {@code yaw}; {@code phase} turns the pedals. */
    static Entity cyclist(double x, double y, double yaw, double phase, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] top = CLOTHES[r.nextInt(CLOTHES.length)];
        double[] frame = CAR_COLOURS[r.nextInt(CAR_COLOURS.length)];
        Material shirt = Material.plain(top[0], top[1], top[2], CYCLIST);
        Material bike = Material.plain(frame[0], frame[1], frame[2], CYCLIST);
        Material tyre = Material.plain(0.06, 0.06, 0.06, CYCLIST);
        Material skin = Material.plain(SKIN_BG.r(), SKIN_BG.g(), SKIN_BG.b(), CYCLIST);
        double c = Math.cos(yaw);
        double s = Math.sin(yaw);
        Entity.Builder b = Entity.builder(seed);
        for (int fr = -1; fr <= 1; fr += 2) {
            double ax = fr * 0.52;
            b.add(Box.of(x + c * ax, y + s * ax, 0.34, 0.34, 0.025, 0.34, yaw), tyre);
        }
        b.add(Box.of(x, y, 0.62, 0.45, 0.03, 0.05, yaw), bike);
        b.add(Box.of(x + c * 0.1, y + s * 0.1, 0.45, 0.03, 0.03, 0.2, yaw), bike);
        // rider: torso leaning forward, legs pedalling
        double lean = 0.18;
        b.add(Box.of(x + c * lean, y + s * lean, 1.22, 0.2, 0.2, 0.32, yaw), shirt);
        for (int lr = -1; lr <= 1; lr += 2) {
            double up = 0.15 * Math.sin(phase + (lr > 0 ? 0 : Math.PI));
            double ay = lr * 0.12;
            b.add(Box.of(x - s * ay, y + c * ay, 0.72 + up, 0.07, 0.06, 0.3, yaw), shirt);
        }
        b.add(new Sphere(x + c * (lean + 0.08), y + s * (lean + 0.08), 1.66, 0.12), skin);
        return b.build();
    }

    /** A building block with its front face along the road. */
    static Entity building(
            double x,
            double y,
            double length,
            double depth,
            double height,
            double yaw,
            SplittableRandom rnd,
            long seed) {
        double[] f = FACADES[rnd.nextInt(FACADES.length)];
        Material facade =
                Material.plain(f[0], f[1], f[2], BACKGROUND).with(Material.Texture.WINDOWS);
        return Entity.builder(seed)
                .add(Box.standing(x, y, 0, length, depth, height, yaw), facade)
                .build();
    }

    /** A tree: trunk and crown. */
    static Entity tree(double x, double y, SplittableRandom rnd, long seed) {
        double h = 2.2 + rnd.nextDouble() * 1.5;
        double r = 1.3 + rnd.nextDouble() * 1.2;
        Material leaves =
                new Material(
                        0.16 + 0.1 * rnd.nextDouble(),
                        0.36 + 0.1 * rnd.nextDouble(),
                        0.12,
                        Material.Texture.FOLIAGE,
                        0,
                        BACKGROUND);
        return Entity.builder(seed)
                .add(Box.standing(x, y, 0, 0.3, 0.3, h + 0.5, 0), BARK)
                .add(new Sphere(x, y, h + r * 0.8, r), leaves)
                .build();
    }

    /**
     * A street lamp whose arm reaches towards the road ({@code towardRoad} = +1 left, -1 right).
     */
    static Entity lamp(double x, double y, double yaw, double towardRoad, long seed) {
        double c = Math.cos(yaw);
        double s = Math.sin(yaw);
        double armLen = 1.6;
        double ax = -s * towardRoad * armLen / 2;
        double ay = c * towardRoad * armLen / 2;
        return Entity.builder(seed)
                .add(Box.standing(x, y, 0, 0.16, 0.16, 6.6, yaw), METAL)
                .add(Box.of(x + ax, y + ay, 6.5, 0.05, armLen / 2, 0.05, yaw), METAL)
                .add(Box.of(x + 2 * ax, y + 2 * ay, 6.38, 0.25, 0.35, 0.07, yaw), LAMP)
                .build();
    }

    /** World position of a lamp's light (the head of {@link #lamp}). */
    static double[] lampLight(double x, double y, double yaw, double towardRoad) {
        double armLen = 1.6;
        return new double[] {
            x - Math.sin(yaw) * towardRoad * armLen, y + Math.cos(yaw) * towardRoad * armLen, 6.3
        };
    }

    /** A moose (a class no model here knows), body along {@code yaw}, annotated as background. */
    static Entity moose(double x, double y, double yaw, long seed) {
        Material fur = Material.plain(0.24, 0.16, 0.10, BACKGROUND);
        Material pale = Material.plain(0.62, 0.55, 0.45, BACKGROUND);
        Material antler = Material.plain(0.75, 0.68, 0.52, BACKGROUND);
        double c = Math.cos(yaw);
        double s = Math.sin(yaw);
        Entity.Builder b = Entity.builder(seed);
        b.add(Box.of(x, y, 1.55, 1.1, 0.38, 0.42, yaw), fur);
        for (int fr = -1; fr <= 1; fr += 2) {
            for (int lr = -1; lr <= 1; lr += 2) {
                double ax = fr * 0.8;
                double ay = lr * 0.22;
                b.add(
                        Box.standing(
                                x + c * ax - s * ay, y + s * ax + c * ay, 0, 0.09, 0.09, 1.2, yaw),
                        pale);
            }
        }
        b.add(Box.of(x + c * 1.25, y + s * 1.25, 1.95, 0.28, 0.2, 0.3, yaw), fur);
        b.add(Box.of(x + c * 1.6, y + s * 1.6, 2.05, 0.34, 0.14, 0.16, yaw), fur);
        b.add(Box.of(x + c * 1.35, y + s * 1.35, 2.42, 0.12, 0.62, 0.05, yaw), antler);
        return b.build();
    }

    /**
     * A road-works barrier across the lane: striped boards in sign colours on legs, with a flashing
     * arrow board above; background.
     */
    static Entity barrier(double x, double y, double yaw, long seed) {
        Material red = Material.plain(0.85, 0.08, 0.08, BACKGROUND);
        Material white = Material.plain(0.92, 0.92, 0.92, BACKGROUND);
        Material arrow = Material.light(1.0, 0.75, 0.1, BACKGROUND);
        double c = Math.cos(yaw);
        double s = Math.sin(yaw);
        Entity.Builder b = Entity.builder(seed);
        for (int i = -4; i < 4; i++) {
            double ay = 0.45 * i + 0.225;
            for (int row = 0; row < 3; row++) {
                boolean redOne = ((i + row) & 1) == 0;
                b.add(
                        Box.of(x - s * ay, y + c * ay, 0.7 + 0.5 * row, 0.05, 0.225, 0.2, yaw),
                        redOne ? red : white);
            }
        }
        for (int lr = -1; lr <= 1; lr += 2) {
            double ay = lr * 1.7;
            b.add(Box.standing(x - s * ay, y + c * ay, 0, 0.1, 0.1, 2.9, yaw), white);
        }
        b.add(Box.of(x, y, 2.6, 0.06, 0.9, 0.35, yaw), arrow);
        return b.build();
    }

    /** A bunch of balloons (or a drone swarm) hovering 2-5 m above the road; background. */
    static Entity balloons(double x, double y, double yaw, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] colours = {
            {0.95, 0.1, 0.85}, {0.1, 0.95, 0.9}, {0.95, 0.9, 0.05}, {0.2, 0.3, 1}
        };
        Entity.Builder b = Entity.builder(seed);
        for (int i = 0; i < 9; i++) {
            double[] col = colours[i % colours.length];
            b.add(
                    new Sphere(
                            x + 3 * (r.nextDouble() - 0.5),
                            y + 4 * (r.nextDouble() - 0.5),
                            2.2 + 2.8 * r.nextDouble(),
                            0.45 + 0.35 * r.nextDouble()),
                    Material.plain(col[0], col[1], col[2], BACKGROUND));
        }
        return b.build();
    }

    /** Spilled cargo: crates and drums in colours no car or sign here has; background. */
    static Entity cargo(double x, double y, double yaw, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] colours = {{0.95, 0.1, 0.85}, {0.1, 0.95, 0.9}, {0.95, 0.9, 0.05}};
        double c = Math.cos(yaw);
        double s = Math.sin(yaw);
        Entity.Builder b = Entity.builder(seed);
        for (int i = 0; i < 6; i++) {
            double[] col = colours[i % colours.length];
            Material m = Material.plain(col[0], col[1], col[2], BACKGROUND);
            double ax = -1.5 + 0.6 * i + 0.2 * r.nextDouble();
            double ay = 1.6 * (r.nextDouble() - 0.5);
            double px = x + c * ax - s * ay;
            double py = y + s * ax + c * ay;
            if (i % 2 == 0) {
                b.add(Box.standing(px, py, 0, 0.7, 0.6, 0.6 + 0.6 * r.nextDouble(), yaw + i), m);
            } else {
                b.add(new Sphere(px, py, 0.4, 0.4), m);
            }
        }
        return b.build();
    }

    /** A traffic sign: a pole and a plate facing along the road. */
    static Entity sign(double x, double y, double yaw, SplittableRandom rnd, long seed) {
        double[] col = SIGN_COLOURS[rnd.nextInt(SIGN_COLOURS.length)];
        Material plate = Material.plain(col[0], col[1], col[2], SIGN);
        Material pole = Material.plain(0.55, 0.55, 0.57, SIGN);
        double size = 0.6 + 0.25 * rnd.nextDouble();
        double poleH = 2.0 + 0.5 * rnd.nextDouble();
        return Entity.builder(seed)
                .add(Box.standing(x, y, 0, 0.07, 0.07, poleH, yaw), pole)
                .add(Box.of(x, y, poleH + size / 2 - 0.05, 0.02, size / 2, size / 2, yaw), plate)
                .build();
    }
}

package dev.fusionnode.synth;

import dev.fusionnode.calib.CameraModel;
import dev.fusionnode.calib.KannalaBrandtCamera;
import dev.fusionnode.calib.PinholeCamera;

/**
 * The viewing ray of every pixel of an output image, in the camera's optical frame: the output
 * image is the raw sensor image resized (as the datasets resize theirs), so pixel {@code (x, y)}
 * looks where raw pixel {@code ((x + 0.5) rawW / w - 0.5, ...)} looks. Also groups pixels into
 * tiles with a bounding cone each, so a renderer can test objects per tile, not per pixel.
 */
final class CameraRays {
    static final int TILE = 16;

    final int width;
    final int height;
    final float[] dirs;
    final int tilesX;
    final int tilesY;

    /** Per tile: the unit centre direction (3 values). */
    final double[] tileDirs;

    /** Per tile: the largest angle between the centre direction and a pixel ray, radians. */
    final double[] tileHalfAngles;

    CameraRays(CameraModel model, int rawWidth, int rawHeight, int width, int height) {
        this.width = width;
        this.height = height;
        this.dirs = new float[width * height * 3];
        double sx = (double) rawWidth / width;
        double sy = (double) rawHeight / height;
        double[] d = new double[3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                unproject(model, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5, d);
                int o = 3 * (y * width + x);
                dirs[o] = (float) d[0];
                dirs[o + 1] = (float) d[1];
                dirs[o + 2] = (float) d[2];
            }
        }
        tilesX = (width + TILE - 1) / TILE;
        tilesY = (height + TILE - 1) / TILE;
        tileDirs = new double[tilesX * tilesY * 3];
        tileHalfAngles = new double[tilesX * tilesY];
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                int x0 = tx * TILE;
                int y0 = ty * TILE;
                int x1 = Math.min(width, x0 + TILE) - 1;
                int y1 = Math.min(height, y0 + TILE) - 1;
                double cx = 0;
                double cy = 0;
                double cz = 0;
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        int o = 3 * (y * width + x);
                        cx += dirs[o];
                        cy += dirs[o + 1];
                        cz += dirs[o + 2];
                    }
                }
                double n = Math.sqrt(cx * cx + cy * cy + cz * cz);
                cx /= n;
                cy /= n;
                cz /= n;
                double maxAngle = 0;
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        int o = 3 * (y * width + x);
                        double c = cx * dirs[o] + cy * dirs[o + 1] + cz * dirs[o + 2];
                        maxAngle = Math.max(maxAngle, Math.acos(Math.min(1, c)));
                    }
                }
                int t = ty * tilesX + tx;
                tileDirs[3 * t] = cx;
                tileDirs[3 * t + 1] = cy;
                tileDirs[3 * t + 2] = cz;
                tileHalfAngles[t] = maxAngle + 1e-4;
            }
        }
    }

    /** Unit ray (optical frame) through raw pixel {@code (u, v)}. */
    static void unproject(CameraModel model, double u, double v, double[] out) {
        double mx = (u - model.cx()) / model.fx();
        double my = (v - model.cy()) / model.fy();
        double x;
        double y;
        double z;
        if (model instanceof KannalaBrandtCamera kb) {
            double thetaD = Math.sqrt(mx * mx + my * my);
            double theta = thetaD;
            for (int i = 0; i < 20; i++) {
                double t2 = theta * theta;
                double f =
                        theta
                                        * (1
                                                + t2
                                                        * (kb.k1()
                                                                + t2
                                                                        * (kb.k2()
                                                                                + t2
                                                                                        * (kb.k3()
                                                                                                + t2
                                                                                                        * kb
                                                                                                                .k4()))))
                                - thetaD;
                double df =
                        1
                                + t2
                                        * (3 * kb.k1()
                                                + t2
                                                        * (5 * kb.k2()
                                                                + t2
                                                                        * (7 * kb.k3()
                                                                                + t2
                                                                                        * 9
                                                                                        * kb
                                                                                                .k4())));
                theta -= f / df;
            }
            double s = thetaD > 1e-12 ? Math.sin(theta) / thetaD : 1;
            x = mx * s;
            y = my * s;
            z = Math.cos(theta);
        } else {
            PinholeCamera p = (PinholeCamera) model;
            // undo radial-tangential distortion by fixed-point iteration
            double ux = mx;
            double uy = my;
            for (int i = 0; i < 20 && !p.isIdeal(); i++) {
                double r2 = ux * ux + uy * uy;
                double radial = 1 + r2 * (p.k1() + r2 * (p.k2() + r2 * p.k3()));
                double tx = 2 * p.p1() * ux * uy + p.p2() * (r2 + 2 * ux * ux);
                double ty = p.p1() * (r2 + 2 * uy * uy) + 2 * p.p2() * ux * uy;
                ux = (mx - tx) / radial;
                uy = (my - ty) / radial;
            }
            double n = Math.sqrt(ux * ux + uy * uy + 1);
            x = ux / n;
            y = uy / n;
            z = 1 / n;
        }
        out[0] = x;
        out[1] = y;
        out[2] = z;
    }
}

package dev.fusionnode.synth;

/**
 * Ray-casts a {@link Scene} into a camera image (linear RGB) and a per-pixel {@link SemanticClass}
 * map. Each 16x16 tile first keeps only the entities whose bounding sphere lies inside the tile's
 * cone, so a pixel tests a handful of objects, not all of them. Single-threaded: frames are
 * rendered in parallel instead.
 */
final class CameraRenderer {
    private final CameraRays rays;

    CameraRenderer(CameraRays rays) {
        this.rays = rays;
    }

    /** A rendered frame: linear RGB in [0, ~2] and semantic class ordinals, row-major. */
    record Rendered(int width, int height, float[] rgb, byte[] semantic) {}

    Rendered render(Scene scene, Shader shader, Pose worldFromCamera) {
        int w = rays.width;
        int h = rays.height;
        float[] rgb = new float[w * h * 3];
        byte[] sem = new byte[w * h];
        Entity[] entities = scene.entities();
        double ox = worldFromCamera.t()[0];
        double oy = worldFromCamera.t()[1];
        double oz = worldFromCamera.t()[2];
        double[] r = worldFromCamera.r();
        // entity centres in the camera frame, and their angular radius
        int n = entities.length;
        double[] ex = new double[n];
        double[] ey = new double[n];
        double[] ez = new double[n];
        double[] angular = new double[n];
        boolean[] inside = new boolean[n];
        for (int i = 0; i < n; i++) {
            Entity e = entities[i];
            double px = e.bx - ox;
            double py = e.by - oy;
            double pz = e.bz - oz;
            double cx = r[0] * px + r[3] * py + r[6] * pz;
            double cy = r[1] * px + r[4] * py + r[7] * pz;
            double cz = r[2] * px + r[5] * py + r[8] * pz;
            double dist = Math.sqrt(cx * cx + cy * cy + cz * cz);
            inside[i] = dist <= e.br;
            if (!inside[i]) {
                ex[i] = cx / dist;
                ey[i] = cy / dist;
                ez[i] = cz / dist;
                angular[i] = Math.asin(e.br / dist);
            }
        }
        int[] candidates = new int[n];
        Hit hit = new Hit();
        double[] colour = new double[3];
        for (int ty = 0; ty < rays.tilesY; ty++) {
            for (int tx = 0; tx < rays.tilesX; tx++) {
                int t = ty * rays.tilesX + tx;
                double tdx = rays.tileDirs[3 * t];
                double tdy = rays.tileDirs[3 * t + 1];
                double tdz = rays.tileDirs[3 * t + 2];
                double half = rays.tileHalfAngles[t];
                int count = 0;
                for (int i = 0; i < n; i++) {
                    if (inside[i]) {
                        candidates[count++] = i;
                        continue;
                    }
                    double c = tdx * ex[i] + tdy * ey[i] + tdz * ez[i];
                    double limit = half + angular[i];
                    if (limit >= Math.PI || Math.acos(Math.min(1, c)) <= limit) {
                        candidates[count++] = i;
                    }
                }
                int x0 = tx * CameraRays.TILE;
                int y0 = ty * CameraRays.TILE;
                int x1 = Math.min(w, x0 + CameraRays.TILE);
                int y1 = Math.min(h, y0 + CameraRays.TILE);
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int p = y * w + x;
                        double cdx = rays.dirs[3 * p];
                        double cdy = rays.dirs[3 * p + 1];
                        double cdz = rays.dirs[3 * p + 2];
                        double dx = r[0] * cdx + r[1] * cdy + r[2] * cdz;
                        double dy = r[3] * cdx + r[4] * cdy + r[5] * cdz;
                        double dz = r[6] * cdx + r[7] * cdy + r[8] * cdz;
                        hit.reset(400);
                        if (scene.cast(ox, oy, oz, dx, dy, dz, candidates, count, hit)) {
                            shader.shade(hit, ox, oy, oz, dx, dy, dz, colour);
                            sem[p] = (byte) hit.material.semantic().ordinal();
                        } else {
                            shader.sky(dz, colour);
                        }
                        rgb[3 * p] = (float) colour[0];
                        rgb[3 * p + 1] = (float) colour[1];
                        rgb[3 * p + 2] = (float) colour[2];
                    }
                }
            }
        }
        return new Rendered(w, h, rgb, sem);
    }
}

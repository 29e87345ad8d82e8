package dev.fusionnode.synth;

import dev.fusionnode.pipeline.Image;

/**
 * ZOD's {@code annotation_lidar_only} (clft-spec §1.1): the camera labels kept only where the
 * {@code lidar_png} has coverage (a channel above 3 and decoded depth under 100 m), the local
 * coverage density is at least 0.12 and the depth at most 60 m. Covered pixels that are sparse
 * (density under 0.25) or farther than 90 m, and 0.5 % strips along the borders, are ignore (1);
 * pixels without LiDAR are 0. The sources do not give the density window; this uses 9x9 pixels at
 * 1363x768, scaled with the image width.
 */
final class LidarOnlyAnnotation {
    private LidarOnlyAnnotation() {}

    /**
     * @param labels camera labels (ZOD ids, without the ignore strips)
     * @param lidarPng the zod-basic LiDAR image in RGB order ({@code [Z, Y, X]})
     */
    static byte[] of(byte[] labels, Image lidarPng) {
        int w = lidarPng.width();
        int h = lidarPng.height();
        byte[] px = lidarPng.copyPixels();
        boolean[] cover = new boolean[w * h];
        double[] depth = new double[w * h];
        for (int i = 0; i < w * h; i++) {
            int z = px[3 * i] & 0xFF;
            int y = px[3 * i + 1] & 0xFF;
            int x = px[3 * i + 2] & 0xFF;
            depth[i] = z / 255.0 * 100;
            cover[i] = (z > 3 || y > 3 || x > 3) && depth[i] < 100;
        }
        int radius = Math.max(1, (int) Math.round(4 * w / 1363.0));
        int[] integral = new int[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            int row = 0;
            for (int x = 0; x < w; x++) {
                row += cover[y * w + x] ? 1 : 0;
                integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
            }
        }
        int stripX = (int) (0.005 * w);
        int stripY = (int) (0.005 * h);
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (x < stripX || x >= w - stripX || y < stripY || y >= h - stripY) {
                    out[i] = 1;
                    continue;
                }
                if (!cover[i]) {
                    continue;
                }
                int x0 = Math.max(0, x - radius);
                int x1 = Math.min(w, x + radius + 1);
                int y0 = Math.max(0, y - radius);
                int y1 = Math.min(h, y + radius + 1);
                int sum =
                        integral[y1 * (w + 1) + x1]
                                - integral[y0 * (w + 1) + x1]
                                - integral[y1 * (w + 1) + x0]
                                + integral[y0 * (w + 1) + x0];
                double density = sum / (double) ((x1 - x0) * (y1 - y0));
                int label = labels[i] & 0xFF;
                if (label > 1 && density >= 0.12 && depth[i] <= 60) {
                    out[i] = (byte) label;
                } else if (density < 0.25 || depth[i] > 90) {
                    out[i] = 1;
                }
            }
        }
        return out;
    }
}

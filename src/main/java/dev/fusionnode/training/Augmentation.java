package dev.fusionnode.training;

import dev.fusionnode.geometry.PilBilinearResize;
import dev.fusionnode.pipeline.Image;
import java.util.Random;

/**
 * The paper's training augmentation (clft-spec §4.3), one random draw applied alike to the camera
 * image, the LiDAR image and the annotation, at full resolution before the model resize: a
 * horizontal flip (p = {@code pFlip}); a RandomResizedCrop box (scale 0.2-1.0, ratio 3/4-4/3,
 * torchvision's drawing) resized to s x s with s uniform in 128..383 (p = {@code pCrop}; bilinear
 * for the images, nearest for the annotation); a rotation uniform in ±{@code rotateRange} degrees
 * about the centre, nearest, no expansion, filled with 0 (p = {@code pRot}).
 *
 * @param pFlip flip probability
 * @param pCrop crop probability
 * @param pRot rotation probability
 * @param rotateRange largest rotation in degrees
 */
public record Augmentation(double pFlip, double pCrop, double pRot, double rotateRange) {
    /** No augmentation (validation, test). */
    public static final Augmentation NONE = new Augmentation(0, 0, 0, 0);

    /** The three images of a training sample. */
    public record Triple(Image camera, Image lidar, Image annotation) {}

    /** Applies one random draw to all three images. */
    public Triple apply(Triple t, Random rnd) {
        Image cam = t.camera();
        Image lidar = t.lidar();
        Image ann = t.annotation();
        if (rnd.nextDouble() < pFlip) {
            cam = flip(cam);
            lidar = lidar == null ? null : flip(lidar);
            ann = flip(ann);
        }
        if (rnd.nextDouble() < pCrop) {
            int[] box = cropBox(cam.width(), cam.height(), rnd);
            int s = 128 + rnd.nextInt(256);
            cam = PilBilinearResize.resize(crop(cam, box), s, s);
            lidar = lidar == null ? null : PilBilinearResize.resize(crop(lidar, box), s, s);
            ann = nearest(crop(ann, box), s, s);
        }
        if (rnd.nextDouble() < pRot) {
            double angle = (rnd.nextDouble() * 2 - 1) * rotateRange;
            cam = rotate(cam, angle);
            lidar = lidar == null ? null : rotate(lidar, angle);
            ann = rotate(ann, angle);
        }
        return new Triple(cam, lidar, ann);
    }

    static Image flip(Image img) {
        int w = img.width();
        int h = img.height();
        int c = img.channels();
        byte[] in = img.copyPixels();
        byte[] out = new byte[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(in, (y * w + x) * c, out, (y * w + (w - 1 - x)) * c, c);
            }
        }
        return new Image(w, h, c, out);
    }

    /** torchvision's RandomResizedCrop.get_params: {top, left, height, width}. */
    static int[] cropBox(int width, int height, Random rnd) {
        double area = (double) width * height;
        double logLo = Math.log(3.0 / 4.0);
        double logHi = Math.log(4.0 / 3.0);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (0.2 + rnd.nextDouble() * 0.8);
            double ratio = Math.exp(logLo + rnd.nextDouble() * (logHi - logLo));
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                int top = rnd.nextInt(height - h + 1);
                int left = rnd.nextInt(width - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < 3.0 / 4.0) {
            w = width;
            h = (int) Math.round(w / (3.0 / 4.0));
        } else if (inRatio > 4.0 / 3.0) {
            h = height;
            w = (int) Math.round(h * (4.0 / 3.0));
        } else {
            w = width;
            h = height;
        }
        return new int[] {(height - h) / 2, (width - w) / 2, h, w};
    }

    static Image crop(Image img, int[] box) {
        int top = box[0];
        int left = box[1];
        int h = box[2];
        int w = box[3];
        int c = img.channels();
        byte[] in = img.copyPixels();
        byte[] out = new byte[w * h * c];
        for (int y = 0; y < h; y++) {
            System.arraycopy(in, ((top + y) * img.width() + left) * c, out, y * w * c, w * c);
        }
        return new Image(w, h, c, out);
    }

    /** PyTorch "nearest": source index = floor(dst * in / out) (clft-spec §7.2). */
    public static Image nearest(Image img, int width, int height) {
        int c = img.channels();
        byte[] in = img.copyPixels();
        byte[] out = new byte[width * height * c];
        for (int y = 0; y < height; y++) {
            int sy = (int) Math.min(img.height() - 1, (long) y * img.height() / height);
            for (int x = 0; x < width; x++) {
                int sx = (int) Math.min(img.width() - 1, (long) x * img.width() / width);
                System.arraycopy(in, (sy * img.width() + sx) * c, out, (y * width + x) * c, c);
            }
        }
        return new Image(width, height, c, out);
    }

    /** Rotation by {@code degrees} counter-clockwise about the centre, nearest, filled with 0. */
    static Image rotate(Image img, double degrees) {
        int w = img.width();
        int h = img.height();
        int c = img.channels();
        byte[] in = img.copyPixels();
        byte[] out = new byte[in.length];
        double rad = Math.toRadians(degrees);
        double cos = Math.cos(rad);
        double sin = Math.sin(rad);
        double cx = w * 0.5;
        double cy = h * 0.5;
        for (int y = 0; y < h; y++) {
            double dy = y + 0.5 - cy;
            for (int x = 0; x < w; x++) {
                double dx = x + 0.5 - cx;
                // inverse map: the source of output pixel (x, y)
                double sx = cos * dx - sin * dy + cx;
                double sy = sin * dx + cos * dy + cy;
                int ix = (int) Math.floor(sx);
                int iy = (int) Math.floor(sy);
                if (ix >= 0 && iy >= 0 && ix < w && iy < h) {
                    System.arraycopy(in, (iy * w + ix) * c, out, (y * w + x) * c, c);
                }
            }
        }
        return new Image(w, h, c, out);
    }
}

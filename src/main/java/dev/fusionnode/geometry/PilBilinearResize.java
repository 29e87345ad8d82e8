package dev.fusionnode.geometry;

import dev.fusionnode.pipeline.Image;

/**
 * Resizes 8-bit images exactly as Pillow's {@code Image.resize(size, BILINEAR)} does: a separable
 * triangle filter whose support widens with the downscale factor (so shrinking antialiases),
 * coefficients normalised in double and quantised to 22-bit fixed point, horizontal pass first with
 * an 8-bit intermediate, round-half-up and clip. This is the resize the CLFT loaders apply before
 * {@code to_tensor} (clft-spec §2.5, §7.1).
 */
public final class PilBilinearResize {
    private static final int PRECISION_BITS = PilCoefficients.PRECISION_BITS;

    private PilBilinearResize() {}

    /** Returns {@code src} resized to {@code width x height}. */
    public static Image resize(Image src, int width, int height) {
        int c = src.channels();
        byte[] in = src.copyPixels();
        int inW = src.width();
        int inH = src.height();
        byte[] horizontal = in;
        int curW = inW;
        if (width != inW) {
            PilCoefficients kx = PilCoefficients.of(inW, width);
            horizontal = new byte[width * inH * c];
            for (int y = 0; y < inH; y++) {
                int rowIn = y * inW * c;
                int rowOut = y * width * c;
                for (int x = 0; x < width; x++) {
                    int min = kx.bounds[x * 2];
                    int len = kx.bounds[x * 2 + 1];
                    int kOff = x * kx.ksize;
                    for (int ch = 0; ch < c; ch++) {
                        int ss = 1 << (PRECISION_BITS - 1);
                        for (int i = 0; i < len; i++) {
                            ss += (in[rowIn + (min + i) * c + ch] & 0xFF) * kx.k[kOff + i];
                        }
                        horizontal[rowOut + x * c + ch] = clip8(ss);
                    }
                }
            }
            curW = width;
        }
        if (height == inH) {
            return new Image(curW, inH, c, horizontal == in ? in : horizontal);
        }
        PilCoefficients ky = PilCoefficients.of(inH, height);
        byte[] out = new byte[curW * height * c];
        int stride = curW * c;
        for (int y = 0; y < height; y++) {
            int min = ky.bounds[y * 2];
            int len = ky.bounds[y * 2 + 1];
            int kOff = y * ky.ksize;
            for (int x = 0; x < stride; x++) {
                int ss = 1 << (PRECISION_BITS - 1);
                for (int i = 0; i < len; i++) {
                    ss += (horizontal[(min + i) * stride + x] & 0xFF) * ky.k[kOff + i];
                }
                out[y * stride + x] = clip8(ss);
            }
        }
        return new Image(curW, height, c, out);
    }

    private static byte clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : (v > 255 ? 255 : v));
    }
}

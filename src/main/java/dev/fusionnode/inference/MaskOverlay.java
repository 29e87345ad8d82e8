package dev.fusionnode.inference;

import dev.fusionnode.pipeline.Image;
import java.nio.ByteBuffer;

/**
 * Colourised masks and overlays as the paper's visualiser draws them (clft-spec §7.3): each class
 * gets its config colour (RGB); in an overlay only pixels whose colour is not black are blended,
 * out = 0.6 colour + 0.4 image.
 */
public final class MaskOverlay {
    private MaskOverlay() {}

    /** The mask in colour: pixel = colours[class] ({@code 0xRRGGBB}). */
    public static Image colourise(Image mask, int[] colours) {
        byte[] out = new byte[mask.width() * mask.height() * 3];
        ByteBuffer m = mask.pixels();
        for (int i = 0; i < m.capacity(); i++) {
            int c = colourOf(m.get(i) & 0xFF, colours);
            out[3 * i] = (byte) (c >> 16);
            out[3 * i + 1] = (byte) (c >> 8);
            out[3 * i + 2] = (byte) c;
        }
        return new Image(mask.width(), mask.height(), 3, out);
    }

    /** The camera image with the coloured mask blended where the colour is not black. */
    public static Image overlay(Image camera, Image mask, int[] colours) {
        return overlay(camera, mask, colours, new byte[camera.width() * camera.height() * 3]);
    }

    /**
     * The same blended into {@code into} (at least the camera image's size), which the returned
     * image wraps: for a caller that encodes it at once and reuses the buffer for the next frame.
     */
    public static Image overlay(Image camera, Image mask, int[] colours, byte[] into) {
        if (camera.width() != mask.width() || camera.height() != mask.height()) {
            throw new IllegalArgumentException(
                    "mask " + mask + " does not match the image " + camera);
        }
        // per class and channel: 0.6 * colour, rounded with the image's 0.4 share below
        int n = 256;
        float[] colourPart = new float[n * 3];
        boolean[] blend = new boolean[n];
        for (int c = 0; c < n; c++) {
            int rgb = colourOf(c, colours);
            blend[c] = rgb != 0;
            for (int k = 0; k < 3; k++) {
                colourPart[3 * c + k] = 0.6f * ((rgb >> (16 - 8 * k)) & 0xFF);
            }
        }
        int size = camera.width() * camera.height() * 3;
        byte[] out = into.length == size ? into : new byte[size];
        System.arraycopy(camera.unsafePixels(), 0, out, 0, size);
        ByteBuffer m = mask.pixels();
        int pixels = m.capacity();
        for (int i = 0; i < pixels; i++) {
            int c = m.get(i) & 0xFF;
            if (!blend[c]) {
                continue;
            }
            int o = 3 * i;
            int p = 3 * c;
            out[o] = (byte) (int) (colourPart[p] + 0.4f * (out[o] & 0xFF) + 0.5f);
            out[o + 1] = (byte) (int) (colourPart[p + 1] + 0.4f * (out[o + 1] & 0xFF) + 0.5f);
            out[o + 2] = (byte) (int) (colourPart[p + 2] + 0.4f * (out[o + 2] & 0xFF) + 0.5f);
        }
        return new Image(camera.width(), camera.height(), 3, out);
    }

    private static int colourOf(int cls, int[] colours) {
        return cls < colours.length ? colours[cls] : 0xFFFFFF;
    }
}

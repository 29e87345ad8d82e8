package dev.fusionnode.inference;

import dev.fusionnode.sensor.Image;
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
        if (camera.width() != mask.width() || camera.height() != mask.height()) {
            throw new IllegalArgumentException(
                    "mask " + mask + " does not match the image " + camera);
        }
        byte[] out = camera.copyPixels();
        ByteBuffer m = mask.pixels();
        for (int i = 0; i < m.capacity(); i++) {
            int c = colourOf(m.get(i) & 0xFF, colours);
            if (c == 0) {
                continue;
            }
            for (int k = 0; k < 3; k++) {
                int colour = (c >> (16 - 8 * k)) & 0xFF;
                int img = out[3 * i + k] & 0xFF;
                out[3 * i + k] = (byte) Math.round(0.6f * colour + 0.4f * img);
            }
        }
        return new Image(camera.width(), camera.height(), 3, out);
    }

    private static int colourOf(int cls, int[] colours) {
        return cls < colours.length ? colours[cls] : 0xFFFFFF;
    }
}

package dev.fusionnode.pipeline;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable 8-bit image, row-major and interleaved: 1 channel (grey or class ids) or 3 channels
 * in RGB order.
 *
 * <p>The pixel array is owned by the image: the constructor takes it without copying, so callers
 * must hand over a fresh array and never touch it again. Readers get a read-only view.
 */
public final class Image {
    private final int width;
    private final int height;
    private final int channels;
    private final byte[] pixels;

    /**
     * Wraps {@code pixels} (ownership passes to the image).
     *
     * @throws IllegalArgumentException if the size does not match {@code width * height * channels}
     */
    public Image(int width, int height, int channels, byte[] pixels) {
        Objects.requireNonNull(pixels, "pixels");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive: " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if ((long) width * height * channels != pixels.length) {
            throw new IllegalArgumentException(
                    "pixel array has "
                            + pixels.length
                            + " bytes, expected "
                            + width
                            + "x"
                            + height
                            + "x"
                            + channels);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.pixels = pixels;
    }

    /** Returns a black image. */
    public static Image blank(int width, int height, int channels) {
        return new Image(width, height, channels, new byte[width * height * channels]);
    }

    /**
     * The image's own pixel array, for hot loops that only read it (a resize reading 3 MB per frame
     * should not copy it first). Never modify it: images are shared between stages.
     */
    public byte[] unsafePixels() {
        return pixels;
    }

    /** Width in pixels. */
    public int width() {
        return width;
    }

    /** Height in pixels. */
    public int height() {
        return height;
    }

    /** Channels per pixel (1 or 3). */
    public int channels() {
        return channels;
    }

    /** Returns the unsigned value of channel {@code c} at pixel ({@code x}, {@code y}). */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }

    /** Returns a read-only view of the pixels. */
    public ByteBuffer pixels() {
        return ByteBuffer.wrap(pixels).asReadOnlyBuffer();
    }

    /** Returns a copy of the pixels. */
    public byte[] copyPixels() {
        return pixels.clone();
    }

    /** Returns true when both images have the same size, channels and pixels. */
    public boolean samePixels(Image other) {
        return other != null
                && other.width == width
                && other.height == height
                && other.channels == channels
                && Arrays.equals(other.pixels, pixels);
    }

    /** Returns a content hash of the pixels (for change detection and determinism checks). */
    public int contentHash() {
        return Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "Image[" + width + "x" + height + "x" + channels + "]";
    }
}

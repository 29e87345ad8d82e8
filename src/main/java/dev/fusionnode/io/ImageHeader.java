package dev.fusionnode.io;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.util.Locale;

/**
 * The size a PNG or JPEG declares in its header, read without decoding, so that an image too large
 * to decode is refused before any pixel memory is allocated (a few hundred bytes of PNG may declare
 * 30000x30000 pixels).
 *
 * @param format "png" or "jpeg"
 * @param width declared width in pixels
 * @param height declared height in pixels
 */
public record ImageHeader(String format, long width, long height) {
    /** The longest side the node decodes. */
    public static final int MAX_SIDE = 16_384;

    /** The most pixels the node decodes (about 8K x 4K). */
    public static final long MAX_PIXELS = 40_000_000L;

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
    };

    /**
     * Reads the header of {@code bytes} and checks its size against {@link #MAX_SIDE} and {@link
     * #MAX_PIXELS}.
     *
     * @throws BadInputException ({@link BadInputReason#CORRUPT_IMAGE}) for bytes that are neither
     *     PNG nor JPEG or whose header is cut short, ({@link BadInputReason#IMAGE_TOO_LARGE}) for a
     *     declared size over the limits
     */
    public static ImageHeader check(byte[] bytes, String source) {
        ImageHeader h = read(bytes, source);
        h.checkSize(source);
        return h;
    }

    /**
     * Checks a declared size (of an image in any format, such as a raw ROS image) against the
     * limits before anything is allocated.
     *
     * @throws BadInputException as {@link #check}
     */
    public void checkSize(String source) {
        if (width <= 0
                || height <= 0
                || width > MAX_SIDE
                || height > MAX_SIDE
                || width * height > MAX_PIXELS) {
            throw new BadInputException(
                    width <= 0 || height <= 0
                            ? BadInputReason.CORRUPT_IMAGE
                            : BadInputReason.IMAGE_TOO_LARGE,
                    source,
                    String.format(
                            Locale.ROOT,
                            "the %s declares %dx%d pixels; the node decodes images of at most %d"
                                    + " pixels a side and %d pixels in all",
                            format,
                            width,
                            height,
                            MAX_SIDE,
                            MAX_PIXELS));
        }
    }

    private static ImageHeader read(byte[] b, String source) {
        if (startsWith(b, PNG_SIGNATURE)) {
            // signature, then the IHDR chunk: length (4), "IHDR", width (4), height (4)
            if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
                throw corrupt(source, "a PNG without its IHDR header");
            }
            return new ImageHeader("png", u32(b, 16), u32(b, 20));
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            return jpeg(b, source);
        }
        throw corrupt(source, b.length + " bytes that are neither PNG nor JPEG");
    }

    /** Walks the JPEG markers to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC). */
    private static ImageHeader jpeg(byte[] b, String source) {
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                throw corrupt(source, "a JPEG whose markers are damaged at byte " + i);
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2; // markers without a length
                continue;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            boolean sof =
                    marker >= 0xC0
                            && marker <= 0xCF
                            && marker != 0xC4
                            && marker != 0xC8
                            && marker != 0xCC;
            if (sof) {
                if (i + 9 > b.length) {
                    break;
                }
                long height = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                long width = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
                return new ImageHeader("jpeg", width, height);
            }
            if (marker == 0xDA || length < 2) {
                break; // scan data before any frame header
            }
            i += 2 + length;
        }
        throw corrupt(source, "a JPEG without a frame header");
    }

    private static BadInputException corrupt(String source, String what) {
        return new BadInputException(
                BadInputReason.CORRUPT_IMAGE, source, "corrupt image: " + what);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24)
                | ((b[at + 1] & 0xFF) << 16)
                | ((b[at + 2] & 0xFF) << 8)
                | (b[at + 3] & 0xFF);
    }
}

package dev.fusionnode.io;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_COMPRESSION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_STRATEGY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_STRATEGY_DEFAULT;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.Image;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * PNG / JPEG decoding and encoding through OpenCV. Decoded colour images come back in RGB order;
 * single-channel images (class-id annotations) stay single-channel.
 */
public final class ImageCodec {
    static {
        OpenCvThreads.callerOnly();
    }

    private ImageCodec() {}

    /** How to treat the channels of a decoded image. */
    public enum Channels {
        /** Keep 1-channel images as they are, turn everything else into RGB. */
        AS_STORED,
        /** Always return RGB (grey is replicated). */
        RGB,
        /** Require a single channel (annotation masks). */
        SINGLE
    }

    /**
     * Reads and decodes an image file.
     *
     * @throws BadInputException when the file is missing or does not decode
     */
    public static Image read(Path file, Channels channels) {
        return decode(Files2.readAll(file), file.toString(), channels);
    }

    /**
     * Decodes PNG or JPEG bytes; {@code source} names the input in errors.
     *
     * @throws BadInputException with {@link BadInputReason#CORRUPT_IMAGE} when the bytes do not
     *     decode, {@link BadInputReason#IMAGE_TOO_LARGE} when the header declares more than {@link
     *     ImageHeader} allows (checked before decoding)
     */
    public static Image decode(byte[] bytes, String source, Channels channels) {
        header(bytes, source);
        return decodeChecked(bytes, source, channels);
    }

    /**
     * Decodes a PNG only, as {@link #decode} does: for images whose pixel values are data (class
     * ids), which a lossy JPEG would change.
     *
     * @throws BadInputException as {@link #decode}, and {@link BadInputReason#CORRUPT_IMAGE} for a
     *     JPEG
     */
    public static Image decodePng(byte[] bytes, String source, Channels channels) {
        if (!header(bytes, source).format().equals("png")) {
            throw new BadInputException(
                    BadInputReason.CORRUPT_IMAGE,
                    source,
                    "must be a PNG: JPEG is lossy and would change the pixel values (class ids)");
        }
        return decodeChecked(bytes, source, channels);
    }

    private static ImageHeader header(byte[] bytes, String source) {
        if (bytes.length == 0) {
            throw new BadInputException(
                    BadInputReason.CORRUPT_IMAGE, source, "corrupt image: the file is empty");
        }
        return ImageHeader.check(bytes, source);
    }

    /** Decodes bytes whose header {@link ImageHeader#check} accepted. */
    private static Image decodeChecked(byte[] bytes, String source, Channels channels) {
        try (BytePointer data = new BytePointer(bytes);
                Mat encoded = new Mat(1, bytes.length, CV_8UC1, data);
                Mat decoded = imdecode(encoded, IMREAD_UNCHANGED)) {
            if (decoded == null || decoded.empty()) {
                throw new BadInputException(
                        BadInputReason.CORRUPT_IMAGE,
                        source,
                        "corrupt image: " + bytes.length + " bytes do not decode as PNG or JPEG");
            }
            if (decoded.depth() != CV_8U) {
                throw new BadInputException(
                        BadInputReason.CORRUPT_IMAGE,
                        source,
                        "unsupported image depth: only 8-bit images are accepted (OpenCV depth code "
                                + decoded.depth()
                                + ")");
            }
            return toImage(decoded, source, channels);
        }
    }

    private static Image toImage(Mat decoded, String source, Channels wanted) {
        int c = decoded.channels();
        if (wanted == Channels.SINGLE) {
            if (c != 1) {
                throw new BadInputException(
                        BadInputReason.CORRUPT_IMAGE,
                        source,
                        "expected a single-channel class-id image, found " + c + " channels");
            }
            return copyOut(decoded, 1);
        }
        if (c == 1 && wanted == Channels.AS_STORED) {
            return copyOut(decoded, 1);
        }
        int code =
                switch (c) {
                    case 1 -> COLOR_GRAY2RGB;
                    case 3 -> COLOR_BGR2RGB;
                    case 4 -> COLOR_BGRA2RGB;
                    default ->
                            throw new BadInputException(
                                    BadInputReason.CORRUPT_IMAGE,
                                    source,
                                    "unsupported channel count " + c);
                };
        try (Mat rgb = new Mat()) {
            cvtColor(decoded, rgb, code);
            return copyOut(rgb, 3);
        }
    }

    private static Image copyOut(Mat mat, int channels) {
        int w = mat.cols();
        int h = mat.rows();
        byte[] px = new byte[w * h * channels];
        if (mat.isContinuous()) {
            mat.data().get(px);
        } else {
            try (Mat copy = mat.clone()) {
                copy.data().get(px);
            }
        }
        return new Image(w, h, channels, px);
    }

    /** Encodes as PNG (lossless; channel order of {@code image} is RGB or single-channel). */
    public static byte[] encodePng(Image image) {
        return encode(image, ".png");
    }

    /**
     * Encodes a per-pixel map (a mask of class ids, a confidence map) as PNG quickly: unfiltered
     * rows, zlib level 1, written with the JDK's zlib ({@link MapPngWriter}). Any PNG decoder reads
     * it.
     */
    public static byte[] encodeMapPng(Image image) {
        return MapPngWriter.write(image);
    }

    /**
     * Encodes as PNG with zlib level {@code compression} (0-9) and the default filter strategy: 9
     * makes files for datasets and the repository about a third smaller than {@link
     * #encodePng(Image)}, at several times the encoding cost.
     */
    public static byte[] encodePng(Image image, int compression) {
        if (compression < 0 || compression > 9) {
            throw new IllegalArgumentException("PNG compression must be 0-9, got " + compression);
        }
        return encode(
                image,
                ".png",
                IMWRITE_PNG_COMPRESSION,
                compression,
                IMWRITE_PNG_STRATEGY,
                IMWRITE_PNG_STRATEGY_DEFAULT);
    }

    /** Encodes as JPEG at the given quality (0-100). */
    public static byte[] encodeJpeg(Image image, int quality) {
        return encode(image, ".jpg", IMWRITE_JPEG_QUALITY, quality);
    }

    /**
     * Per-thread native buffers of the encoders: the pixels handed to OpenCV and the BGR copy, kept
     * between frames (a frame's 3 MB of pixels would otherwise be allocated and copied twice, once
     * on the Java heap); they grow to the largest image the thread encodes.
     */
    private static final class EncodeScratch {
        BytePointer data = new BytePointer(0L);
        final Mat bgr = new Mat();

        BytePointer hold(byte[] px) {
            if (data.capacity() < px.length) {
                data.close();
                data = new BytePointer((long) px.length);
            }
            data.position(0).put(px, 0, px.length);
            return data;
        }
    }

    private static final ThreadLocal<EncodeScratch> SCRATCH =
            ThreadLocal.withInitial(EncodeScratch::new);

    private static byte[] encode(Image image, String ext, int... params) {
        byte[] px = image.unsafePixels();
        int type = image.channels() == 1 ? CV_8UC1 : CV_8UC3;
        EncodeScratch scratch = SCRATCH.get();
        try (Mat mat = new Mat(image.height(), image.width(), type, scratch.hold(px));
                BytePointer out = new BytePointer();
                IntPointer p = new IntPointer(params)) {
            Mat src = mat;
            if (image.channels() == 3) {
                cvtColor(mat, scratch.bgr, COLOR_RGB2BGR);
                src = scratch.bgr;
            }
            if (!imencode(ext, src, out, p)) {
                throw new IllegalStateException("OpenCV could not encode " + image + " as " + ext);
            }
            byte[] result = new byte[(int) out.limit()];
            out.get(result);
            return result;
        }
    }
}

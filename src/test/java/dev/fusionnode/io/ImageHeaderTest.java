package dev.fusionnode.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.Image;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Images too large to decode are refused from their header, before any pixel memory is allocated: a
 * PNG or JPEG that declares 30000x30000 or 60000x60000 pixels in a few hundred bytes (it answered
 * 500 after 18 s and 6.6 GB, or with OpenCV's build paths, before the check) is bad input naming
 * the limit; real images decode as before; bytes that are neither PNG nor JPEG are corrupt.
 */
class ImageHeaderTest {
    private static byte[] png(int w, int h) {
        return ImageCodec.encodePng(new Image(w, h, 3, new byte[w * h * 3]));
    }

    private static byte[] withDeclaredSize(byte[] png, long w, long h) {
        byte[] b = Arrays.copyOf(png, png.length);
        for (int i = 0; i < 4; i++) {
            b[16 + i] = (byte) (w >>> (24 - 8 * i));
            b[20 + i] = (byte) (h >>> (24 - 8 * i));
        }
        return b;
    }

    @Test
    void aDeclaredGiantPngIsRefusedBeforeDecoding() {
        for (long side : new long[] {30_000, 60_000}) {
            byte[] attack = withDeclaredSize(png(16, 16), side, side);
            assertThatThrownBy(
                            () ->
                                    ImageCodec.decode(
                                            attack, "upload camera", ImageCodec.Channels.RGB))
                    .isInstanceOfSatisfying(
                            BadInputException.class,
                            e -> assertThat(e.reason()).isEqualTo(BadInputReason.IMAGE_TOO_LARGE))
                    .hasMessageContaining(side + "x" + side)
                    .hasMessageContaining("at most 16384 pixels a side")
                    .hasMessageNotContaining("opencv");
        }
        byte[] wide = withDeclaredSize(png(16, 16), 16_000, 16_000);
        assertThatThrownBy(() -> ImageHeader.check(wide, "x"))
                .hasMessageContaining("40000000 pixels in all");
    }

    @Test
    void aDeclaredGiantJpegIsRefused() {
        byte[] jpeg = ImageCodec.encodeJpeg(new Image(16, 8, 3, new byte[16 * 8 * 3]), 90);
        ImageHeader h = ImageHeader.check(jpeg, "small.jpg");
        assertThat(h).isEqualTo(new ImageHeader("jpeg", 16, 8));
        // patch the frame header's height and width to 60000
        byte[] attack = Arrays.copyOf(jpeg, jpeg.length);
        for (int i = 2; i + 9 < attack.length; i++) {
            if ((attack[i] & 0xFF) == 0xFF && (attack[i + 1] & 0xFF) == 0xC0) {
                attack[i + 5] = (byte) 0xEA;
                attack[i + 6] = (byte) 0x60;
                attack[i + 7] = (byte) 0xEA;
                attack[i + 8] = (byte) 0x60;
                break;
            }
        }
        assertThatThrownBy(() -> ImageCodec.decode(attack, "upload", ImageCodec.Channels.RGB))
                .hasMessageContaining("60000x60000");
    }

    @Test
    void realImagesDecodeAndOtherBytesAreCorrupt() {
        assertThat(ImageHeader.check(png(40, 30), "ok.png"))
                .isEqualTo(new ImageHeader("png", 40, 30));
        assertThat(ImageCodec.decode(png(40, 30), "ok.png", ImageCodec.Channels.RGB).width())
                .isEqualTo(40);
        byte[] bmp = {'B', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> ImageCodec.decode(bmp, "x.bmp", ImageCodec.Channels.RGB))
                .isInstanceOfSatisfying(
                        BadInputException.class,
                        e -> assertThat(e.reason()).isEqualTo(BadInputReason.CORRUPT_IMAGE))
                .hasMessageContaining("neither PNG nor JPEG");
    }
}

package dev.fusionnode.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.pipeline.Image;
import dev.fusionnode.testutil.Peer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mask PNG is read back with the same pixels by three decoders written by others: libpng (in
 * OpenCV), the JDK's ImageIO and Python's Pillow; and it compresses a mask and a confidence map
 * about as well as OpenCV's PNG does.
 */
class MapPngWriterTest {
    /** A mask as the model gives one: a few classes in large regions, ragged edges. */
    private static Image mask(int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            int road = h / 2 + r.nextInt(3);
            for (int x = 0; x < w; x++) {
                int cls = y > road ? 1 : 0;
                if ((x / 97 + y / 61) % 5 == 0) {
                    cls = 2 + (x + y) % 2;
                }
                px[y * w + x] = (byte) cls;
            }
        }
        return new Image(w, h, 1, px);
    }

    private static Image rgb(int w, int h, long seed) {
        byte[] px = new byte[w * h * 3];
        new Random(seed).nextBytes(px);
        return new Image(w, h, 3, px);
    }

    @Test
    void libpngAndImageIoReadTheSamePixels() throws Exception {
        for (Image img :
                new Image[] {
                    mask(1363, 768, 1), mask(1, 1, 2), mask(17, 5, 3), rgb(33, 9, 4), rgb(1, 1, 5)
                }) {
            byte[] png = ImageCodec.encodeMapPng(img);
            Image byLibpng =
                    ImageCodec.decodePng(
                            png,
                            "test",
                            img.channels() == 1
                                    ? ImageCodec.Channels.AS_STORED
                                    : ImageCodec.Channels.RGB);
            assertThat(byLibpng.samePixels(img)).as("libpng, %s", img).isTrue();
            BufferedImage byImageIo = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(byImageIo.getWidth()).isEqualTo(img.width());
            byte[] px = img.unsafePixels();
            int c = img.channels();
            for (int i = 0; i < img.width() * img.height(); i += 7) {
                int x = i % img.width();
                int y = i / img.width();
                int[] v = byImageIo.getRaster().getPixel(x, y, (int[]) null);
                for (int k = 0; k < c; k++) {
                    assertThat(v[k])
                            .as("ImageIO %s at %d,%d", img, x, y)
                            .isEqualTo(px[i * c + k] & 0xFF);
                }
            }
        }
    }

    @Test
    void compressesAMaskAboutAsWellAsOpenCv() {
        Image m = mask(1363, 768, 7);
        int ours = ImageCodec.encodeMapPng(m).length;
        int openCv = ImageCodec.encodePng(m).length;
        assertThat(ours).isLessThan(m.unsafePixels().length / 50).isLessThan(openCv * 3 / 2);
    }

    /**
     * A confidence map as the node publishes one: the model's map scaled up by nearest neighbour.
     */
    private static Image confidence(long seed) {
        Random r = new Random(seed);
        byte[] small = new byte[384 * 384];
        for (int y = 0; y < 384; y++) {
            for (int x = 0; x < 384; x++) {
                double v = 200 + 50 * Math.sin(x / 23.0) * Math.cos(y / 31.0) + r.nextInt(6);
                small[y * 384 + x] = (byte) Math.min(255, (int) v);
            }
        }
        byte[] px = new byte[1363 * 768];
        for (int y = 0; y < 768; y++) {
            for (int x = 0; x < 1363; x++) {
                px[y * 1363 + x] = small[(y * 384 / 768) * 384 + x * 384 / 1363];
            }
        }
        return new Image(1363, 768, 1, px);
    }

    @Test
    void aConfidenceMapReadsBackAndCompressesAboutAsWellAsOpenCv() {
        Image c = confidence(3);
        byte[] ours = ImageCodec.encodeMapPng(c);
        assertThat(ImageCodec.decodePng(ours, "test", ImageCodec.Channels.AS_STORED).samePixels(c))
                .isTrue();
        int openCv = ImageCodec.encodePng(c).length;
        assertThat(ours.length).isLessThan(c.unsafePixels().length / 4).isLessThan(openCv * 3 / 2);
    }

    @Test
    void pillowReadsTheSamePixels(@TempDir Path dir) throws Exception {
        Peer.PYTHON_NUMPY.require();
        Image m = mask(1363, 768, 9);
        Path png = dir.resolve("mask.png");
        Path raw = dir.resolve("mask.raw");
        Files.write(png, ImageCodec.encodeMapPng(m));
        Process p =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                "-c",
                                "import sys, numpy as np; from PIL import Image;"
                                        + " im = Image.open(sys.argv[1]); assert im.mode == 'L', im.mode;"
                                        + " open(sys.argv[2], 'wb').write(np.asarray(im).tobytes())",
                                png.toString(),
                                raw.toString())
                        .redirectErrorStream(true)
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        assertThat(Files.readAllBytes(raw)).isEqualTo(m.unsafePixels());
    }
}

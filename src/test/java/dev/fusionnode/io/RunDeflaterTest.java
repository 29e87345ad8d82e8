package dev.fusionnode.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * The run-length zlib stream inflates, checksum and Huffman codes checked by zlib's own inflater,
 * to scanlines that give back the image, across run lengths at the edges of deflate's match
 * lengths, rows repeated or not, wide rows and long runs; it is small for a mask and gives up on a
 * map without runs.
 */
class RunDeflaterTest {
    private final RunDeflater deflater = new RunDeflater();

    private byte[] deflate(byte[] px, int w, int h, int budget) {
        byte[] out = new byte[budget + 1024 + 5];
        int end = deflater.deflate(px, w, h, out, 5, budget);
        return end < 0 ? null : Arrays.copyOfRange(out, 5, end);
    }

    /** The pixels back from PNG scanlines filtered with None (0) or Up (2). */
    private static byte[] unfilter(byte[] lines, int w, int h) {
        assertThat(lines).hasSize((w + 1) * h);
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            int filter = lines[y * (w + 1)];
            assertThat(filter).as("row %d's filter", y).isIn(0, 2);
            for (int x = 0; x < w; x++) {
                int v = lines[y * (w + 1) + 1 + x];
                int above = filter == 2 && y > 0 ? px[(y - 1) * w + x] : 0;
                px[y * w + x] = (byte) (v + above);
            }
        }
        return px;
    }

    private static byte[] inflate(byte[] zlib) throws DataFormatException {
        Inflater inflater = new Inflater();
        inflater.setInput(zlib);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!inflater.finished()) {
            int n = inflater.inflate(buf);
            assertThat(n > 0 || !inflater.needsInput()).as("stream ends early").isTrue();
            out.write(buf, 0, n);
        }
        assertThat(inflater.getRemaining()).as("bytes after the stream").isZero();
        return out.toByteArray();
    }

    private void assertRoundTrip(byte[] px, int w, int h) throws DataFormatException {
        byte[] zlib = deflate(px, w, h, 3 * (px.length + h) + 64);
        assertThat(zlib).as("%dx%d within budget", w, h).isNotNull();
        assertThat(unfilter(inflate(zlib), w, h)).as("%dx%d", w, h).isEqualTo(px);
    }

    @Test
    void runsOfEveryLengthAroundTheMatchLimitsInflateToTheScanlines() throws Exception {
        int[] lengths = {1, 2, 3, 4, 5, 10, 11, 257, 258, 259, 260, 261, 262, 516, 517, 518, 519};
        for (int first : lengths) {
            for (int second : lengths) {
                int w = first + second;
                byte[] px = new byte[w * 3];
                for (int y = 0; y < 3; y++) {
                    Arrays.fill(px, y * w, y * w + first, (byte) (y == 2 ? 7 : 200));
                    Arrays.fill(px, y * w + first, y * w + w, (byte) 0);
                }
                assertRoundTrip(px, w, 3);
            }
        }
    }

    @Test
    void randomMapsWithRepeatedRowsInflateToTheScanlines() throws Exception {
        Random r = new Random(11);
        for (int t = 0; t < 1500; t++) {
            int w = 1 + r.nextInt(t < 1000 ? 40 : 900);
            int h = 1 + r.nextInt(30);
            byte[] px = new byte[w * h];
            int maxRun = 1 + r.nextInt(600);
            int classes = r.nextBoolean() ? 4 : 256;
            for (int i = 0; i < px.length; ) {
                int len = 1 + r.nextInt(maxRun);
                byte v = (byte) r.nextInt(classes);
                for (int k = 0; k < len && i < px.length; k++) {
                    px[i++] = v;
                }
            }
            for (int y = 1; y < h; y++) {
                if (r.nextInt(3) > 0) {
                    System.arraycopy(px, (y - 1) * w, px, y * w, w);
                }
            }
            assertRoundTrip(px, w, h);
        }
    }

    @Test
    void rowsWiderThanTheWindowAndLongRunsKeepTheChecksum() throws Exception {
        int w = 40_000;
        byte[] px = new byte[w * 3];
        Arrays.fill(px, (byte) 255);
        px[w + 17] = 3;
        assertRoundTrip(px, w, 3);
        assertRoundTrip(new byte[] {9, 9}, 1, 2);
    }

    @Test
    void aMaskOfRegionsIsSmallAndAMapWithoutRunsIsLeftToZlib() throws Exception {
        int w = 1363;
        int h = 768;
        byte[] mask = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = x * 384 / w;
                int sy = y * 384 / h;
                mask[y * w + x] =
                        (byte)
                                (sy > 200 + sx / 40
                                        ? 1
                                        : (sx - 150) * (sx - 150) + (sy - 150) * (sy - 150) < 900
                                                ? 2
                                                : 0);
            }
        }
        byte[] zlib = deflate(mask, w, h, mask.length / 32);
        assertThat(zlib).isNotNull();
        assertThat(zlib.length).isLessThan(mask.length / 200);
        assertThat(unfilter(inflate(zlib), w, h)).isEqualTo(mask);

        byte[] noise = new byte[w * h];
        new Random(3).nextBytes(noise);
        assertThat(deflate(noise, w, h, noise.length / 32)).isNull();
    }
}

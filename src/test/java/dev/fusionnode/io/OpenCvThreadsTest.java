package dev.fusionnode.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.pipeline.Image;
import org.bytedeco.opencv.global.opencv_core;
import org.junit.jupiter.api.Test;

class OpenCvThreadsTest {
    @Test
    void encodingThroughTheCodecKeepsOpenCvOnTheCallersThread() {
        byte[] rgb = new byte[640 * 480 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 31);
        }
        byte[] jpeg = ImageCodec.encodeJpeg(new Image(640, 480, 3, rgb), 85);

        assertThat(jpeg).isNotEmpty();
        assertThat(opencv_core.getNumThreads()).isEqualTo(1);
    }
}

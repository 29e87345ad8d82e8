package dev.fusionnode.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.geometry.ModelInputs;
import dev.fusionnode.model.ClftMode;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.ClftSpec;
import dev.fusionnode.pipeline.Image;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Inputs made into the inference worker's reused arrays are the inputs made into fresh ones, bit
 * for bit, whatever the arrays held before, for every mode and with or without a LiDAR image.
 */
class InputPreprocessorTest {
    private static Image image(long seed, boolean sparse) {
        Random r = new Random(seed);
        byte[] px = new byte[320 * 180 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = sparse && r.nextInt(8) > 0 ? 0 : (byte) r.nextInt(256);
        }
        return new Image(320, 180, 3, px);
    }

    @Test
    void reusedArraysGiveTheSameInputsAsFreshOnes() {
        Image camera = image(1, false);
        Image lidar = image(2, true);
        for (ClftMode mode : ClftMode.values()) {
            ClftSpec spec =
                    ClftSpec.paper("vit_micro_patch16_384", 4, mode)
                            .withResampleDim(16)
                            .withImageSize(64);
            var pre = new InputPreprocessor(spec, ModelInputs.ZOD_MEAN, ModelInputs.ZOD_STD);
            int length = 3 * 64 * 64;
            float[] rgb = new float[length];
            float[] li = new float[length];
            for (Optional<Image> l : List.of(Optional.of(lidar), Optional.<Image>empty())) {
                Arrays.fill(rgb, Float.NaN); // what an earlier frame left
                Arrays.fill(li, Float.NaN);
                ClftSample fresh = pre.sample(camera, l);
                ClftSample reused =
                        pre.sample(
                                new dev.fusionnode.pipeline.FusedFrame(
                                        new dev.fusionnode.pipeline.CameraFrame(
                                                "front", 1, 0, camera, "test"),
                                        Optional.empty(),
                                        l,
                                        0,
                                        0,
                                        0),
                                rgb,
                                mode.usesLidar() ? li : null);
                assertThat(reused.rgb()).isSameAs(rgb);
                assertThat(Arrays.equals(reused.rgb(), fresh.rgb())).as("%s rgb", mode).isTrue();
                if (mode.usesLidar()) {
                    assertThat(reused.lidar()).isSameAs(li);
                    assertThat(Arrays.equals(reused.lidar(), fresh.lidar()))
                            .as("%s lidar, image present: %s", mode, l.isPresent())
                            .isTrue();
                } else {
                    assertThat(reused.lidar()).isNull();
                    assertThat(fresh.lidar()).isNull();
                }
            }
        }
    }
}

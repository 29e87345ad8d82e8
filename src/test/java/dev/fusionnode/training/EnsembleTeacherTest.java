package dev.fusionnode.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import dev.fusionnode.cli.FusionNode;
import dev.fusionnode.inference.InferenceOptions;
import dev.fusionnode.inference.ModelLoader;
import dev.fusionnode.inference.ModelOptions;
import dev.fusionnode.inference.ServedModel;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.learning.AutoLabeller;
import dev.fusionnode.learning.FineTuneService;
import dev.fusionnode.model.ClftModel;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.SegmentationOutput;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The specialist ensemble (clft-spec §3.10) as the teacher: three 2-class specialists of the
 * structure a {@code "specialist"} job trains are combined by {@code fusion-node ensemble}, loaded
 * through the teacher's model loader as a 4-class model, and pseudo-label a frame into the served
 * config's dataset ids.
 */
class EnsembleTeacherTest {
    @TempDir Path tmp;

    @Test
    void specialistsCombineIntoAnEnsembleTeacher() throws Exception {
        PaperConfig served = PaperConfig.read(Path.of("config/zod/clft/demo_fusion.json"));
        PaperConfig member = FineTuneService.specialistConfig(served, List.of("sign"));
        assertThat(member.classNames()).containsExactly("background", "sign");
        assertThat(member.relabelTable()[2])
                .as("vehicle ids are background to a sign specialist")
                .isZero();
        assertThat(member.relabelTable()[3]).isEqualTo(1);
        Path memberConfig = tmp.resolve("member.json");
        Files.writeString(memberConfig, member.json().encodePrettily());
        String[] names = {"vehicle", "sign", "human"};
        for (int i = 0; i < names.length; i++) {
            try (ClftModel m =
                    ClftModel.random(member.modelSpec(), Device.cpu(), 20 + i, names[i])) {
                m.save(tmp.resolve(names[i] + ".pth"), 0, 0, member.classNames());
            }
        }
        Path ensemble = tmp.resolve("ensemble.pth");
        int code =
                new CommandLine(new FusionNode())
                        .execute(
                                "ensemble",
                                "-c",
                                memberConfig.toString(),
                                "--vehicle",
                                tmp.resolve("vehicle.pth").toString(),
                                "--sign",
                                tmp.resolve("sign.pth").toString(),
                                "--human",
                                tmp.resolve("human.pth").toString(),
                                "--out",
                                ensemble.toString());
        assertThat(code).isZero();

        ServedModel teacher =
                ModelLoader.load(
                        InferenceOptions.single(
                                ModelOptions.files(memberConfig, ensemble), "cpu", 1));
        try (Predictor<ClftSample, SegmentationOutput> p = teacher.model().newPredictor(false)) {
            assertThat(teacher.classes().names())
                    .containsExactly("background", "vehicle", "sign", "human");
            int[] ids = AutoLabeller.datasetIds(teacher.classes().names(), served);
            assertThat(ids).containsExactly(0, 2, 3, 4);
            Image camera =
                    ImageCodec.read(
                            Path.of("recordings/sample-drive/camera/frame_000000.png"),
                            ImageCodec.Channels.RGB);
            Image lidar =
                    ImageCodec.read(
                            Path.of("recordings/sample-drive/lidar_png/frame_000000.png"),
                            ImageCodec.Channels.RGB);
            AutoLabeller.PseudoLabel label =
                    AutoLabeller.label(p, teacher, camera, Optional.of(lidar), ids, 0.7);
            assertThat(label.annotation().width()).isEqualTo(camera.width());
            assertThat(label.confidence().height()).isEqualTo(camera.height());
            for (byte b : label.annotation().copyPixels()) {
                assertThat(b & 0xFF).isIn(0, 2, 3, 4, TrainingSample.IGNORE);
            }
        } finally {
            teacher.release();
        }
    }
}

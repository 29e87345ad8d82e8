package dev.fusionnode.learning.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.training.Augmentation;
import dev.fusionnode.training.SampleLoader;
import dev.fusionnode.training.TrainingSample;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The annotated-frame store: a dataset in the ZOD layout, bounded with oldest-first eviction,
 * refusing frames that do not fit together, and crash-safe: a writer process SIGKILLed mid-stream
 * leaves every acknowledged frame complete and nothing half-written.
 */
class AnnotationStoreIT {
    @TempDir Path dir;

    private static Image frame(String folder, int i, ImageCodec.Channels ch) {
        return ImageCodec.read(
                Path.of("recordings/sample-drive", folder, String.format("frame_%06d.png", i)), ch);
    }

    private static long add(AnnotationStore s, int i) {
        return s.add(
                frame("camera", i, ImageCodec.Channels.RGB),
                Optional.of(frame("lidar_png", i, ImageCodec.Channels.RGB)),
                frame("annotation_camera_only", i, ImageCodec.Channels.AS_STORED));
    }

    @Test
    void storesADatasetEvictsOldestAndReopens() throws Exception {
        AnnotationStore s = AnnotationStore.open(dir, Long.MAX_VALUE);
        for (int i = 0; i < 6; i++) {
            assertThat(add(s, i)).isEqualTo(i);
        }
        long perFrame = s.bytes() / 6;
        assertThat(s.writeSplits()).isEqualTo(6);
        assertThat(Files.readAllLines(dir.resolve("all.txt")))
                .hasSize(6)
                .first()
                .isEqualTo("camera/frame_000000000.png");
        assertThat(Files.readAllLines(dir.resolve("validation.txt")))
                .containsExactly("camera/frame_000000004.png");
        assertThat(
                        frame("camera", 0, ImageCodec.Channels.RGB)
                                .samePixels(
                                        ImageCodec.read(
                                                dir.resolve("camera/frame_000000000.png"),
                                                ImageCodec.Channels.RGB)))
                .isTrue();

        AnnotationStore bounded = AnnotationStore.open(dir, perFrame * 4);
        assertThat(bounded.size()).as("reopened: index rebuilt").isEqualTo(6);
        add(bounded, 6);
        assertThat(bounded.ids()).as("oldest evicted").startsWith(3L).endsWith(6L);
        assertThat(bounded.evicted()).isEqualTo(3);
        assertThat(dir.resolve("camera/frame_000000000.png")).doesNotExist();

        Image cam = frame("camera", 0, ImageCodec.Channels.RGB);
        Image small = new Image(10, 10, 1, new byte[100]);
        assertThatThrownBy(() -> bounded.add(cam, Optional.empty(), small))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("annotation is 10x10");
        assertThatThrownBy(() -> bounded.add(cam, Optional.empty(), cam))
                .hasMessageContaining("one channel");
    }

    @Test
    void aKilledWriterLosesNoAcknowledgedFrame() throws Exception {
        Path store = dir.resolve("store");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                StoreWriterMain.class.getName(),
                                store.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        List<Long> acked = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acked.add(Long.parseLong(line.substring(4)));
                    if (acked.size() == 25) {
                        p.destroyForcibly(); // SIGKILL in the middle of the next add
                        break;
                    }
                }
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acked).hasSize(25);

        AnnotationStore s = AnnotationStore.open(store, Long.MAX_VALUE);
        assertThat(s.ids()).containsAll(acked);
        for (long id : s.ids()) {
            String name = String.format("frame_%09d.png", id);
            for (String d : List.of("camera", "lidar_png", "annotation_camera_only")) {
                assertThat(store.resolve(d).resolve(name)).isRegularFile();
                ImageCodec.read(store.resolve(d).resolve(name), ImageCodec.Channels.AS_STORED);
            }
        }
        try (Stream<Path> files = Files.walk(store)) {
            assertThat(files.filter(f -> f.toString().endsWith(".tmp"))).isEmpty();
        }
        assertThat(Files.readAllLines(store.resolve("all.txt"))).hasSize(s.size());
    }

    /**
     * Pseudo-labelled frames: marked by their teacher confidence, kept as such on reopen, always
     * training (validation stays human), and loaded with the pseudo weight and unlabelled pixels.
     */
    @Test
    void pseudoLabelledFramesAreMarkedAndNeverValidation() throws Exception {
        AnnotationStore s = AnnotationStore.open(dir, Long.MAX_VALUE);
        Image camera = frame("camera", 0, ImageCodec.Channels.RGB);
        Image ann = frame("annotation_camera_only", 0, ImageCodec.Channels.AS_STORED);
        byte[] px = ann.copyPixels();
        byte[] conf = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            boolean sure = (i / camera.width()) % 2 == 0; // every other row under the threshold
            conf[i] = (byte) (sure ? 240 : 90);
            if (!sure) {
                px[i] = (byte) TrainingSample.IGNORE;
            }
        }
        Image pseudoAnn = new Image(ann.width(), ann.height(), 1, px);
        Image confidence = new Image(ann.width(), ann.height(), 1, conf);
        for (int i = 0; i < 12; i++) {
            if (i % 2 == 0) {
                add(s, i % 6);
            } else {
                s.addPseudo(
                        camera,
                        Optional.of(frame("lidar_png", 0, ImageCodec.Channels.RGB)),
                        pseudoAnn,
                        confidence);
            }
        }
        assertThat(s.pseudoLabelled()).isEqualTo(6);
        s.writeSplits();
        List<String> val = Files.readAllLines(dir.resolve("validation.txt"));
        assertThat(val).hasSize(1); // the fifth of six human frames
        for (String line : val) {
            long id = Long.parseLong(line.replaceAll("\\D", ""));
            assertThat(s.isPseudo(id)).isFalse();
        }
        assertThatThrownBy(
                        () ->
                                s.addPseudo(
                                        camera,
                                        Optional.empty(),
                                        pseudoAnn,
                                        new Image(4, 4, 1, new byte[16])))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("confidence");

        AnnotationStore again = AnnotationStore.open(dir, Long.MAX_VALUE);
        assertThat(again.pseudoLabelled()).as("marks survive a reopen").isEqualTo(6);
        assertThat(again.isPseudo(1)).isTrue();
        assertThat(again.isPseudo(0)).isFalse();

        // the training loader: weight by the mark, unlabelled pixels kept as IGNORE
        var cfg = PaperConfig.read(Path.of("config/zod/clft/demo_fusion.json"));
        var loader =
                SampleLoader.of(cfg.modelSpec(), cfg, Augmentation.NONE)
                        .with(new SampleLoader.LabelWeights(1f, 0.25f));
        var layout = DatasetLayout.ZOD;
        var human =
                loader.load(
                        layout.resolve(
                                dir,
                                "camera/frame_000000000.png",
                                AnnotationStore.ANNOTATION,
                                0,
                                "t"),
                        new Random(1));
        var pseudo =
                loader.load(
                        layout.resolve(
                                dir,
                                "camera/frame_000000001.png",
                                AnnotationStore.ANNOTATION,
                                1,
                                "t"),
                        new Random(1));
        assertThat(human.weight()).isEqualTo(1f);
        assertThat(pseudo.weight()).isEqualTo(0.25f);
        int ignored = 0;
        for (byte b : pseudo.label()) {
            if ((b & 0xFF) == TrainingSample.IGNORE) {
                ignored++;
            }
        }
        assertThat((double) ignored / pseudo.label().length).isBetween(0.4, 0.6);
    }
}

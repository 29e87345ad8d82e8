package dev.fusionnode.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.model.ClftMode;
import dev.fusionnode.model.ClftSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Verifies the paper config files in {@code config/} and the typed reader. */
class PaperConfigTest {
    private static final Path ZOD = Path.of("config/zod/clft");
    private static final Path ISEAUTO = Path.of("config/iseauto/clft");

    private static List<Path> paperConfigFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : List.of("config/zod", "config/iseauto", "config/ensemble")) {
            try (Stream<Path> s = Files.walk(Path.of(root))) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    /** Verifies that every JSON under config/zod, config/iseauto and config/ensemble parses. */
    @Test
    void everyPaperConfigParses() throws IOException {
        List<Path> files = paperConfigFiles();
        assertThat(files).hasSize(38); // the paper's 31, micro and tiny, five demo configs
        for (Path f : files) {
            PaperConfig c = PaperConfig.read(f);
            assertThat(c.modelSpec().classes()).as(f.toString()).isEqualTo(c.numClasses());
            assertThat(c.summary()).as(f.toString()).isNotBlank();
        }
    }

    /** Verifies that config_8 carries clft-spec §6's values. */
    @Test
    void config8MatchesSpecSection6() {
        PaperConfig c = PaperConfig.read(ZOD.resolve("config_8.json"));
        assertThat(c.cli().mode()).isEqualTo(ClftMode.CROSS_FUSION);
        assertThat(c.cli().path()).isEqualTo("./zod_dataset/");
        General g = c.general();
        assertThat(g)
                .isEqualTo(
                        new General(
                                "cuda:0", 200, 8, "output", 0, false, false, 400, 2, "", false));
        assertThat(c.log().logdir()).isEqualTo("./logs/zod/clft/config_8/");
        Clft m = c.clft();
        assertThat(m.embDim()).isEqualTo(768);
        assertThat(m.hooks()).containsExactly(2, 5, 8, 11);
        assertThat(m.modelTimm()).isEqualTo("vit_base_resnet50_384");
        assertThat(m.clftLr()).isEqualTo(8e-5);
        assertThat(m.patchSize()).isEqualTo(16);
        assertThat(m.reassembles()).containsExactly(4, 8, 16, 32);
        assertThat(m.read()).isEqualTo("projection");
        assertThat(m.resampleDim()).isEqualTo(256);
        assertThat(m.type()).isEqualTo("segmentation");
        assertThat(m.lossDepth()).isEqualTo("ssi");
        assertThat(m.lossSegmentation()).isEqualTo("ce");
        assertThat(m.lrMomentum()).isEqualTo(0.99);
        assertThat(m.pretrained()).isTrue();
        Dataset d = c.dataset();
        assertThat(d.name()).isEqualTo("zod");
        assertThat(d.datasetRoot()).isEqualTo("./zod_dataset");
        assertThat(d.annotationPath()).isEqualTo("annotation_camera_only");
        assertThat(d.trainSplit()).isEqualTo("./zod_dataset/train.txt");
        assertThat(d.valSplit()).isEqualTo("./zod_dataset/validation.txt");
        Transforms t = d.transforms();
        assertThat(t.resize()).isEqualTo(384);
        assertThat(t.randomRotateRange()).isEqualTo(20);
        assertThat(List.of(t.pFlip(), t.pCrop(), t.pRot())).containsExactly(0.5, 0.3, 0.4);
        assertThat(t.imageMean()).containsExactly(0.325291, 0.325736, 0.331795);
        assertThat(t.imageStd()).containsExactly(0.168061, 0.179542, 0.204609);
        assertThat(t.lidarMean()).containsExactly(0.049261, 0.049575, 0.092697);
        assertThat(t.lidarStd()).containsExactly(0.07696, 0.073541, 0.098311);
        assertThat(t.otherVectors().get("lidar_mean_waymo"))
                .containsExactly(-0.17263354, 0.85321806, 24.5527253);
        assertThat(t.otherVectors().get("lidar_std_iseauto")).containsExactly(7.79, 2.156, 7.6);
        assertThat(d.datasetClasses().stream().map(DatasetClass::name))
                .containsExactly(
                        "background", "ignore", "vehicle", "sign", "cyclist", "pedestrian");
        assertThat(d.datasetClasses().stream().map(DatasetClass::index))
                .containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(d.trainClasses())
                .containsExactly(
                        new TrainClass("background", 0, 0.1, List.of(0, 1), List.of(0, 0, 0)),
                        new TrainClass("vehicle", 1, 10.0, List.of(2), List.of(128, 0, 128)),
                        new TrainClass("sign", 2, 15.0, List.of(3), List.of(255, 0, 0)),
                        new TrainClass("human", 3, 20.0, List.of(4, 5), List.of(0, 255, 255)));
        assertThat(c.classNames()).containsExactly("background", "vehicle", "sign", "human");
        assertThat(c.classWeights()).containsExactly(0.1f, 10f, 15f, 20f);
        assertThat(c.classColors()).containsExactly(0x000000, 0x800080, 0xFF0000, 0x00FFFF);
        assertThat(c.ensemble()).isEmpty();
        assertThat(c.json().getJsonObject("Dataset").getJsonObject("splits").getDouble("split_val"))
                .isEqualTo(0.2);

        ClftSpec spec = c.modelSpec();
        assertThat(spec)
                .isEqualTo(ClftSpec.paper("vit_base_resnet50_384", 4, ClftMode.CROSS_FUSION));
        assertThat(spec.backbone().hybrid()).isTrue();
    }

    /** Verifies that config_8 relabels ids 0,1 to 0, 2 to 1, 3 to 2 and 4,5 to 3, the rest to 0. */
    @Test
    void config8RelabelTable() {
        int[] table = PaperConfig.read(ZOD.resolve("config_8.json")).relabelTable();
        assertThat(table).hasSize(256);
        assertThat(Arrays.copyOf(table, 6)).containsExactly(0, 0, 1, 2, 3, 3);
        for (int id = 6; id < 256; id++) {
            assertThat(table[id]).isZero();
        }
    }

    /** Verifies the sibling rules of §6: modes 1-3/4-6/7-9, variants, patience, annotations. */
    @Test
    void numberedConfigsFollowTheVariantGrid() {
        String[] timm = {"vit_base_patch16_384", "vit_base_resnet50_384", "vit_large_patch16_384"};
        ClftMode[] modes = {ClftMode.RGB, ClftMode.LIDAR, ClftMode.CROSS_FUSION};
        for (int n = 1; n <= 9; n++) {
            for (Path root : List.of(ZOD, ISEAUTO)) {
                PaperConfig c = PaperConfig.read(root.resolve("config_" + n + ".json"));
                String as = c.source();
                assertThat(c.clft().modelTimm()).as(as).isEqualTo(timm[(n - 1) % 3]);
                assertThat(c.cli().mode()).as(as).isEqualTo(modes[(n - 1) / 3]);
                assertThat(c.log().logdir()).as(as).endsWith("/config_" + n + "/");
                int classes = root.equals(ZOD) ? 4 : 3;
                assertThat(c.modelSpec())
                        .as(as)
                        .isEqualTo(ClftSpec.paper(timm[(n - 1) % 3], classes, modes[(n - 1) / 3]));
            }
            PaperConfig zod = PaperConfig.read(ZOD.resolve("config_" + n + ".json"));
            assertThat(zod.general().earlyStopPatience()).isEqualTo(n == 8 ? 400 : 200);
            assertThat(zod.general().epochs()).isEqualTo(200);
            assertThat(zod.dataset().annotationPath())
                    .isEqualTo(
                            n >= 4 && n <= 6 ? "annotation_lidar_only" : "annotation_camera_only");
            assertThat(zod.numClasses()).isEqualTo(4);
            PaperConfig ise = PaperConfig.read(ISEAUTO.resolve("config_" + n + ".json"));
            assertThat(ise.general().epochs()).isEqualTo(100);
            assertThat(ise.classNames()).containsExactly("background", "vehicle", "human");
            assertThat(ise.classWeights()).containsExactly(0.5f, 4f, 12f);
            assertThat(ise.dataset().transforms().imageMean()).containsExactly(0.485, 0.456, 0.406);
        }
    }

    /** Verifies that config_3 is CLFT-Large: 1024 wide, 24 blocks, hooks 5, 11, 17, 23. */
    @Test
    void config3IsLarge() {
        PaperConfig c = PaperConfig.read(ZOD.resolve("config_3.json"));
        ClftSpec spec = c.modelSpec();
        assertThat(spec.backbone().timmName()).isEqualTo("vit_large_patch16_384");
        assertThat(spec.embDim()).isEqualTo(1024);
        assertThat(spec.backbone().depth()).isEqualTo(24);
        assertThat(spec.hooks()).containsExactly(5, 11, 17, 23);
        assertThat(spec.mode()).isEqualTo(ClftMode.RGB);
    }

    /** Verifies that both transfer configs drop sign and carry §4.5's flags and rates. */
    @Test
    void transferConfigsDropSign() {
        PaperConfig zod = PaperConfig.read(ZOD.resolve("transfer_from_iseauto_config_1.json"));
        assertThat(zod.summary())
                .isEqualTo("ZOD RGB CLFT-Base Transfer from ISEAuto (w/o Sign, LR 3e-05)");
        assertThat(zod.classNames()).containsExactly("background", "vehicle", "human");
        assertThat(zod.classWeights()).containsExactly(0.1f, 10f, 20f);
        int[] table = zod.relabelTable();
        assertThat(Arrays.copyOf(table, 6)).containsExactly(0, 0, 1, 0, 2, 2);
        assertThat(zod.clft().clftLr()).isEqualTo(3e-5);
        assertThat(zod.clft().modelTimm()).isEqualTo("vit_base_patch16_384");
        assertThat(zod.cli().mode()).isEqualTo(ClftMode.RGB);
        General g = zod.general();
        assertThat(List.of(g.resumeTraining(), g.resetLr(), g.createNewTraining()))
                .containsOnly(true);
        assertThat(g.earlyStopPatience()).isEqualTo(200);
        assertThat(g.modelPath()).startsWith("./logs/iseauto/clft/config_1/checkpoints/epoch_188_");
        assertThat(zod.log().logdir())
                .isEqualTo("./logs/zod/clft/transfer_from_iseauto_config_1_wo_sign_3e05/");

        PaperConfig ise =
                PaperConfig.read(ISEAUTO.resolve("transfer_from_zod_wo_sign_config_1.json"));
        assertThat(ise.clft().clftLr()).isEqualTo(1e-6);
        assertThat(ise.dataset().name()).isEqualTo("iseauto");
        assertThat(ise.dataset().datasetRoot()).isEqualTo("./xod_dataset");
        assertThat(ise.dataset().annotationPath()).isEqualTo("annotation");
        assertThat(ise.dataset().transforms().lidarMean())
                .containsExactly(0.812386, 0.148879, 0.032874);
        assertThat(ise.dataset().transforms().lidarStd())
                .containsExactly(0.194681, 0.285717, 0.153287);
        assertThat(ise.classWeights()).containsExactly(0.5f, 4f, 12f);
        assertThat(ise.general().modelPath())
                .startsWith("./logs/zod/clft/config_1_wo_sign/checkpoints/epoch_197_30fe8dde-");
        // the source of the ZOD -> Iseauto transfer has the same three classes, so heads match
        PaperConfig source = PaperConfig.read(ZOD.resolve("config_1_wo_sign.json"));
        assertThat(source.classNames()).isEqualTo(ise.classNames());
        assertThat(source.paths(Path.of("/w")).logDir())
                .isEqualTo(
                        ise.paths(Path.of("/w")).modelPath().orElseThrow().getParent().getParent());
    }

    /** Verifies the specialisation mappings and weights of clft-spec §1.4. */
    @Test
    void specialisationConfigs() {
        Path spec = ZOD.resolve("specialization");
        PaperConfig vehicle = PaperConfig.read(spec.resolve("vehicle_only.json"));
        assertThat(vehicle.summary()).isEqualTo("ZOD Fusion CLFT-Hybrid - Vehicle Specialization");
        assertThat(vehicle.tags()).contains("Vehicle-Only", "Specialization");
        assertThat(vehicle.modelSpec().classes()).isEqualTo(2);
        assertThat(vehicle.classWeights()).containsExactly(0.5f, 10f);
        assertThat(Arrays.copyOf(vehicle.relabelTable(), 6)).containsExactly(0, 0, 1, 0, 0, 0);
        PaperConfig sign = PaperConfig.read(spec.resolve("sign_only.json"));
        assertThat(sign.classWeights()).containsExactly(0.5f, 20f);
        assertThat(Arrays.copyOf(sign.relabelTable(), 6)).containsExactly(0, 0, 0, 1, 0, 0);
        PaperConfig human = PaperConfig.read(spec.resolve("human_only.json"));
        assertThat(Arrays.copyOf(human.relabelTable(), 6)).containsExactly(0, 0, 0, 0, 1, 1);
        PaperConfig humanSign = PaperConfig.read(spec.resolve("human_sign.json"));
        assertThat(humanSign.classNames()).containsExactly("background", "human", "sign");
        assertThat(Arrays.copyOf(humanSign.relabelTable(), 6)).containsExactly(0, 0, 0, 2, 1, 1);
        PaperConfig baseline = PaperConfig.read(spec.resolve("baseline.json"));
        assertThat(baseline.general().earlyStopPatience()).isEqualTo(400);
        assertThat(baseline.relabelTable())
                .isEqualTo(PaperConfig.read(ZOD.resolve("config_8.json")).relabelTable());
        for (String name : List.of("human_only", "vehicle_only")) {
            PaperConfig ise = PaperConfig.read(ISEAUTO.resolve("specialization/" + name + ".json"));
            assertThat(ise.numClasses()).isEqualTo(2);
            assertThat(ise.classWeights()[0]).isEqualTo(0.5f);
        }
    }

    /** Verifies the ensemble block, and that train classes are ordered by index, not file order. */
    @Test
    void ensembleConfig() {
        PaperConfig c = PaperConfig.read(Path.of("config/ensemble/zod_ensemble_config.json"));
        Ensemble e = c.ensemble().orElseThrow();
        assertThat(e.models()).hasSize(2);
        assertThat(e.weights()).containsExactly(0.6, 0.4);
        assertThat(c.dataset().valSplit()).isEqualTo("./zod_dataset/test.txt");
        // the file lists sign with index 3 before human with index 2
        assertThat(c.classNames()).containsExactly("background", "vehicle", "human", "sign");
        assertThat(c.classWeights()).containsExactly(0.1f, 10f, 20f, 15f);
        assertThat(Arrays.copyOf(c.relabelTable(), 6)).containsExactly(0, 0, 1, 3, 2, 2);
        assertThat(c.paths(Path.of("/data")).ensembleModels().get(0))
                .isEqualTo(
                        Path.of(
                                "/data/logs/zod/clft/config_1/checkpoints/"
                                        + "epoch_99_d172004a-7072-4bea-9240-578b5d146eb3.pth"));
    }

    /** Verifies this project's CPU configs and that they point at the sample drive. */
    @Test
    void cpuConfigsUseTheSampleDrive() throws IOException {
        PaperConfig micro = PaperConfig.read(ZOD.resolve("micro_fusion.json"));
        ClftSpec m = micro.modelSpec();
        assertThat(m.backbone().timmName()).isEqualTo("vit_micro_patch16_384");
        assertThat(m.embDim()).isEqualTo(64);
        assertThat(m.hooks()).containsExactly(0, 1, 2, 3);
        assertThat(m.resampleDim()).isEqualTo(16);
        assertThat(m.mode()).isEqualTo(ClftMode.CROSS_FUSION);
        PaperConfig tiny = PaperConfig.read(ZOD.resolve("tiny_fusion.json"));
        ClftSpec t = tiny.modelSpec();
        assertThat(t.backbone().timmName()).isEqualTo("vit_tiny_patch16_384");
        assertThat(t.embDim()).isEqualTo(192);
        assertThat(t.hooks()).containsExactly(2, 5, 8, 11);
        assertThat(t.resampleDim()).isEqualTo(64);
        PaperConfig config8 = PaperConfig.read(ZOD.resolve("config_8.json"));
        Path repo = Path.of("").toAbsolutePath();
        for (PaperConfig c : List.of(micro, tiny)) {
            assertThat(c.dataset().trainClasses()).isEqualTo(config8.dataset().trainClasses());
            assertThat(c.relabelTable()).isEqualTo(config8.relabelTable());
            PaperPaths p = c.paths(repo);
            assertThat(p.datasetRoot()).isEqualTo(repo.resolve("recordings/sample-drive"));
            assertThat(p.trainSplit()).isRegularFile();
            assertThat(p.valSplit()).isRegularFile();
            assertThat(p.testSplitDir().resolve("test_day_fair.txt")).isRegularFile();
            String first = Files.readAllLines(p.trainSplit()).get(0);
            assertThat(p.datasetRoot().resolve(first)).isRegularFile();
            assertThat(
                            p.datasetRoot()
                                    .resolve(first.replace("camera", c.dataset().annotationPath())))
                    .isRegularFile();
        }
    }
}

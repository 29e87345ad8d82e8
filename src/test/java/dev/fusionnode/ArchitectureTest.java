package dev.fusionnode;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the node, bottom to top: each layer may use the layers below it, never one above.
 * The frame path runs upwards through the stage layers (sources, sync, projection, inference,
 * encoder, transports), so a stage never depends on a later stage; everything rests on the {@code
 * pipeline} contract.
 */
class ArchitectureTest {
    /** Bottom to top; each entry is a layer name followed by its packages. */
    static final List<String[]> LAYERS =
            List.of(
                    new String[] {
                        "Foundations",
                        "..fusionnode.config..",
                        "..fusionnode.calib..",
                        "..fusionnode.logging.."
                    },
                    new String[] {"Contract", "..fusionnode.pipeline.."},
                    new String[] {
                        "Support",
                        "..fusionnode.metrics..",
                        "..fusionnode.io..",
                        "..fusionnode.geometry..",
                        "..fusionnode.mcap..",
                        "..fusionnode.model..",
                        "..fusionnode.drive..",
                        "..fusionnode.ros.."
                    },
                    new String[] {
                        "Sources",
                        "..fusionnode.replay..",
                        "..fusionnode.capture..",
                        "..fusionnode.velodyne..",
                        "..fusionnode.ingest..",
                        "..fusionnode.bridge.."
                    },
                    new String[] {"Sync", "..fusionnode.sync.."},
                    new String[] {"Projection", "..fusionnode.projection.."},
                    new String[] {"Inference", "..fusionnode.inference.."},
                    new String[] {"Encoder", "dev.fusionnode.publish"},
                    new String[] {
                        "Transports",
                        "..fusionnode.publish.mqtt..",
                        "..fusionnode.publish.foxglove..",
                        "..fusionnode.publish.bridge.."
                    },
                    new String[] {"Recording", "..fusionnode.record.."},
                    new String[] {"Training", "..fusionnode.training.."},
                    new String[] {"Learning", "..fusionnode.learning.."},
                    new String[] {"Tools", "..fusionnode.synth..", "..fusionnode.export.."},
                    new String[] {"Serving", "..fusionnode.http..", "..fusionnode.cluster.."},
                    new String[] {"Node", "..fusionnode.node.."},
                    new String[] {"Bench", "..fusionnode.bench.."},
                    new String[] {"Cli", "..fusionnode.cli.."});

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.fusionnode");
    }

    @Test
    void aLayerUsesOnlyTheLayersBelowIt() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String[] layer : LAYERS) {
            rule = rule.layer(layer[0]).definedBy(Arrays.copyOfRange(layer, 1, layer.length));
        }
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above =
                    LAYERS.subList(i + 1, LAYERS.size()).stream()
                            .map(l -> l[0])
                            .toArray(String[]::new);
            rule = rule.whereLayer(LAYERS.get(i)[0]).mayOnlyBeAccessedByLayers(above);
        }
        rule.whereLayer("Cli").mayNotBeAccessedByAnyLayer().check(classes);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("dev.fusionnode.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyPackageIsInALayer() {
        ArchRuleDefinition.classes()
                .should()
                .resideInAnyPackage(
                        LAYERS.stream()
                                .flatMap(l -> Arrays.stream(l, 1, l.length))
                                .toArray(String[]::new))
                .check(classes);
    }

    /**
     * Every verticle on the frame path (the contract's own stages, the sources, sync, projection,
     * inference, the encoder, the transports and the recorder) is a {@link
     * dev.fusionnode.pipeline.Stage}: it registers its status and gauges the same way and stops the
     * same way.
     */
    @Test
    void frameStagesAreStages() {
        ArchRuleDefinition.classes()
                .that()
                .areAssignableTo(io.vertx.core.Deployable.class)
                .and()
                .resideInAnyPackage(
                        "..fusionnode.pipeline..",
                        "..fusionnode.replay..",
                        "..fusionnode.capture..",
                        "..fusionnode.velodyne..",
                        "..fusionnode.ingest..",
                        "..fusionnode.bridge..",
                        "..fusionnode.sync..",
                        "..fusionnode.projection..",
                        "..fusionnode.inference..",
                        "dev.fusionnode.publish",
                        "..fusionnode.publish.mqtt..",
                        "..fusionnode.publish.foxglove..",
                        "..fusionnode.publish.bridge..",
                        "..fusionnode.record..")
                .and()
                .areNotAssignableFrom(dev.fusionnode.pipeline.Stage.class)
                .should()
                .beAssignableTo(dev.fusionnode.pipeline.Stage.class)
                .check(classes);
    }
}

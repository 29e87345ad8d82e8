package dev.fusionnode.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.metrics.MicrometerBasedNodeMetrics;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.Codecs;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.FrameDone;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.pipeline.StatusRegistry;
import dev.fusionnode.pipeline.SyncedFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verifies the sync stage on the event bus: pairing, and the drop policy with its counter and
 * credit.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class SyncVerticleTest {
    private static final long MS = 1_000_000L;

    /**
     * Verifies that with policy drop a frame without a scan in tolerance is dropped, counted under
     * no_lidar_in_tolerance and its credit returned, while a frame with a scan in tolerance goes on
     * paired (the very same instance: the local codec passes references).
     */
    @Test
    void dropPolicyCountsAndReturnsCredit(Vertx vertx, VertxTestContext ctx) {
        Codecs.register(vertx, SyncedFrame.class);
        MicrometerBasedNodeMetrics metrics =
                new MicrometerBasedNodeMetrics(new SimpleMeterRegistry());
        SyncOptions options =
                new SyncOptions(20 * MS, 30 * MS, SyncOptions.UnpairedPolicy.DROP, Map.of(), 8);
        Image img = Image.blank(2, 2, 3);
        CameraFrame first = new CameraFrame("front", 0, 1005 * MS, img, "");
        Checkpoint dropped = ctx.checkpoint();
        Checkpoint paired = ctx.checkpoint();
        vertx.eventBus()
                .<FrameDone>localConsumer(
                        Addresses.FRAME_DONE,
                        m ->
                                ctx.verify(
                                        () -> {
                                            assertThat(m.body().dropped()).isTrue();
                                            assertThat(m.body().seq()).isEqualTo(1);
                                            assertThat(
                                                            metrics.dropped(
                                                                    DropReason
                                                                            .NO_LIDAR_IN_TOLERANCE))
                                                    .isEqualTo(1);
                                            dropped.flag();
                                        }));
        vertx.eventBus()
                .<SyncedFrame>localConsumer(
                        Addresses.SYNCED,
                        m ->
                                ctx.verify(
                                        () -> {
                                            assertThat(m.body().camera())
                                                    .as("frames travel by reference, never copied")
                                                    .isSameAs(first);
                                            assertThat(m.body().scan()).isPresent();
                                            paired.flag();
                                        }));
        vertx.deployVerticle(new CreditStage(metrics, new StatusRegistry()))
                .compose(
                        credits ->
                                vertx.deployVerticle(
                                        new SyncVerticle(options, metrics, new StatusRegistry())))
                .onComplete(
                        ctx.succeeding(
                                id -> {
                                    var bus = vertx.eventBus();
                                    bus.publish(
                                            Addresses.LIDAR,
                                            LidarScan.of(
                                                    "top",
                                                    0,
                                                    1000 * MS,
                                                    new PointCloud(new float[4]),
                                                    ""));
                                    bus.publish(Addresses.CAMERA, first);
                                    bus.publish(
                                            Addresses.CAMERA,
                                            new CameraFrame("front", 1, 1100 * MS, img, ""));
                                }));
    }
}

package dev.fusionnode.learning;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.learning.store.AnnotationStore;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accumulates the annotated frames of a replayed dataset split: for each fused frame whose camera
 * file has an annotation beside it (the dataset rule: {@code camera/} replaced by the annotation
 * folder), the camera image, the CLFT LiDAR image the pipeline computed and the annotation go into
 * the {@link AnnotationStore}. A side branch on its own worker thread: it never holds a frame's
 * credit; when it falls behind by more than {@code maxPending} frames, frames are skipped.
 */
public final class ReplayAnnotationCollector extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayAnnotationCollector.class);

    private final AnnotationStore store;
    private final String annotationFolder;
    private final NodeMetrics metrics;
    private final int maxPending;
    private WorkerExecutor writer;
    private int pending;

    /**
     * @param store where frames go
     * @param annotationFolder the dataset's annotation folder ({@code annotation_camera_only})
     * @param metrics bad-input counters
     * @param maxPending frames being written at most
     */
    public ReplayAnnotationCollector(
            AnnotationStore store, String annotationFolder, NodeMetrics metrics, int maxPending) {
        this.store = store;
        this.annotationFolder = annotationFolder;
        this.metrics = metrics;
        this.maxPending = maxPending;
    }

    @Override
    public Future<?> start() {
        writer = vertx.createSharedWorkerExecutor("fusion-annotation-store", 1);
        vertx.eventBus().<FusedFrame>localConsumer(Addresses.FUSED, m -> onFrame(m.body()));
        return Future.succeededFuture();
    }

    /** The annotation file of a camera file, by the dataset rule; null when it has none. */
    static Path annotationOf(String cameraFile, String annotationFolder) {
        int at = cameraFile.lastIndexOf("/camera/");
        if (at < 0) {
            return null;
        }
        return Path.of(
                cameraFile.substring(0, at)
                        + "/"
                        + annotationFolder
                        + "/"
                        + cameraFile.substring(at + "/camera/".length()));
    }

    private void onFrame(FusedFrame f) {
        Path ann = annotationOf(f.camera().origin(), annotationFolder);
        if (ann == null || pending >= maxPending) {
            return;
        }
        pending++;
        writer.executeBlocking(
                        () -> {
                            if (!Files.isRegularFile(ann)) {
                                return false;
                            }
                            store.add(
                                    f.camera().image(),
                                    f.lidarImage(),
                                    ImageCodec.read(ann, ImageCodec.Channels.AS_STORED));
                            return true;
                        },
                        true)
                .onComplete(
                        ar -> {
                            pending--;
                            if (ar.failed()) {
                                if (ar.cause() instanceof BadInputException b) {
                                    metrics.badInput(b.reason());
                                }
                                LOG.warn(
                                        "annotated frame {} not stored: {}",
                                        f.camera().origin(),
                                        ar.cause().getMessage());
                            }
                        });
    }

    @Override
    public Future<?> stop() {
        return writer == null ? Future.succeededFuture() : writer.close();
    }
}

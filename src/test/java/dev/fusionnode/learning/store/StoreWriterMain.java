package dev.fusionnode.learning.store;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Image;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A child process for the crash test: adds sample-drive frames to a store in a loop and prints
 * {@code ack <id>} after each {@link AnnotationStore#add} returns, until it is killed.
 */
public final class StoreWriterMain {
    private StoreWriterMain() {}

    /** {@code StoreWriterMain STORE_DIR}. */
    public static void main(String[] args) {
        AnnotationStore store = AnnotationStore.open(Path.of(args[0]), Long.MAX_VALUE);
        Path drive = Path.of("recordings/sample-drive");
        for (int i = 0; ; i = (i + 1) % 100) {
            String name = String.format("frame_%06d.png", i);
            Image cam =
                    ImageCodec.read(drive.resolve("camera").resolve(name), ImageCodec.Channels.RGB);
            Image lidar =
                    ImageCodec.read(
                            drive.resolve("lidar_png").resolve(name), ImageCodec.Channels.RGB);
            Image ann =
                    ImageCodec.read(
                            drive.resolve("annotation_camera_only").resolve(name),
                            ImageCodec.Channels.AS_STORED);
            long id = store.add(cam, Optional.of(lidar), ann);
            System.out.println("ack " + id);
            System.out.flush();
        }
    }
}

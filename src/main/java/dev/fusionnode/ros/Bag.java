package dev.fusionnode.ros;

import dev.fusionnode.mcap.McapReader;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ROS 2 bag as written by {@code ros2 bag record}: its topics with their message types and the
 * messages in the order they were written, whatever the storage ({@link McapBag} since Iron, {@link
 * SqliteBag} for the {@code .db3} files of Humble and before). {@link #open} takes a bag folder
 * (with its {@code metadata.yaml}, split bags included), or one {@code .mcap} or {@code .db3} file.
 */
public interface Bag extends AutoCloseable {

    /** The storage: {@code mcap} or {@code sqlite3}. */
    String storage();

    /** What was opened (the folder, or the file). */
    Path path();

    /** Each topic's message type ({@code sensor_msgs/msg/Image}), sorted by topic. */
    Map<String, String> types();

    /** Each topic's serialization format ({@code cdr} for ROS 2 messages). */
    Map<String, String> encodings();

    /** Every message, in the order written (arrival order). */
    List<BagMessage> messages();

    /**
     * The serialised message.
     *
     * @throws BadInputException when its bytes cannot be read
     */
    byte[] data(BagMessage m);

    /** What is wrong with the file (cut short, damaged records), if anything. */
    Optional<String> damage();

    @Override
    void close();

    /**
     * Opens a bag folder or file.
     *
     * @throws BadInputException {@link BadInputReason#MALFORMED_RECORDING} when it is not a bag
     */
    static Bag open(Path path) {
        if (Files.isDirectory(path)) {
            BagMetadata meta = BagMetadata.read(path.resolve(BagMetadata.FILE_NAME));
            List<Bag> parts = new ArrayList<>();
            try {
                for (String file : meta.files()) {
                    parts.add(openFile(path.resolve(file), meta.storage()));
                }
            } catch (RuntimeException e) {
                parts.forEach(Bag::close);
                throw e;
            }
            if (parts.isEmpty()) {
                throw new BadInputException(
                        BadInputReason.MALFORMED_RECORDING,
                        path,
                        "its " + BagMetadata.FILE_NAME + " lists no files");
            }
            return parts.size() == 1 ? parts.get(0) : new SplitBag(path, parts);
        }
        String name = path.getFileName().toString();
        return openFile(path, name.endsWith(".db3") ? SqliteBag.STORAGE : McapBag.STORAGE);
    }

    private static Bag openFile(Path file, String storage) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING, file, "is not a file (a bag's part)");
        }
        return switch (storage) {
            case SqliteBag.STORAGE -> SqliteBag.open(file);
            case McapBag.STORAGE -> new McapBag(file, McapReader.open(file));
            default ->
                    throw new BadInputException(
                            BadInputReason.MALFORMED_RECORDING,
                            file,
                            "is stored as '"
                                    + storage
                                    + "'; the node reads 'mcap' and 'sqlite3' bags");
        };
    }

    /**
     * Whether {@code path} is a ROS 2 bag: a folder with a {@code metadata.yaml}, a {@code .db3}
     * file, or an {@code .mcap} file whose messages are CDR (a recording of the node's own is not).
     *
     * @throws BadInputException for an {@code .mcap} file that is not MCAP
     */
    static boolean isBag(Path path) {
        if (Files.isDirectory(path)) {
            return Files.isRegularFile(path.resolve(BagMetadata.FILE_NAME));
        }
        String name = path.getFileName().toString();
        if (name.endsWith(".db3")) {
            return true;
        }
        if (!name.endsWith(".mcap") || !Files.isRegularFile(path)) {
            return false;
        }
        try (McapReader r = McapReader.open(path)) {
            return McapBag.isRos2(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

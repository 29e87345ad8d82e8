package dev.fusionnode.ros;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A bag folder's {@code metadata.yaml} ({@code rosbag2_bagfile_information}), read for its storage
 * and files and written, version 5 (Humble; later {@code ros2 bag} reads it too), beside the node's
 * ROS 2 recordings. Parsed and written with SnakeYAML (safe loading: plain maps, lists and scalars
 * only).
 *
 * @param storage the storage plugin ({@code mcap} or {@code sqlite3})
 * @param files the bag's files, relative to its folder, in order
 */
public record BagMetadata(String storage, List<String> files) {
    /** The file's name in a bag folder. */
    public static final String FILE_NAME = "metadata.yaml";

    /** One topic of a bag and how many messages it has. */
    public record TopicCount(String topic, String type, long messages) {}

    /**
     * Reads a {@code metadata.yaml}.
     *
     * @throws BadInputException when it is missing, not YAML, or lacks the storage or files
     */
    public static BagMetadata read(Path file) {
        Object doc;
        try {
            LoaderOptions limits = new LoaderOptions();
            limits.setCodePointLimit(8 << 20);
            limits.setMaxAliasesForCollections(16);
            doc =
                    new Yaml(new SafeConstructor(limits))
                            .load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING, file, "cannot be read: " + e.getMessage());
        } catch (YAMLException e) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING, file, "is not YAML: " + e.getMessage());
        }
        Object info = doc instanceof Map<?, ?> m ? m.get("rosbag2_bagfile_information") : null;
        if (!(info instanceof Map<?, ?> meta)) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING,
                    file,
                    "has no 'rosbag2_bagfile_information' (is it a ROS 2 bag's metadata?)");
        }
        Object storage = meta.get("storage_identifier");
        Object paths = meta.get("relative_file_paths");
        if (!(storage instanceof String s) || !(paths instanceof List<?> list)) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING,
                    file,
                    "needs 'storage_identifier' and 'relative_file_paths'");
        }
        List<String> files = new ArrayList<>();
        for (Object p : list) {
            String name = String.valueOf(p);
            if (name.contains("..") || Path.of(name).isAbsolute()) {
                throw new BadInputException(
                        BadInputReason.MALFORMED_RECORDING,
                        file,
                        "lists '" + name + "', which is outside the bag's folder");
            }
            files.add(name);
        }
        return new BagMetadata(s, List.copyOf(files));
    }

    /**
     * Writes the {@code metadata.yaml} of a bag of one file.
     *
     * @param folder the bag's folder
     * @param file the bag's file in it
     * @param storage its storage ({@code mcap})
     * @param startNs the first message's log time
     * @param endNs the last message's log time
     * @param topics each topic with its count, in the order to list them
     */
    public static void write(
            Path folder,
            String file,
            String storage,
            long startNs,
            long endNs,
            List<TopicCount> topics) {
        long total = topics.stream().mapToLong(TopicCount::messages).sum();
        long duration = Math.max(0, endNs - startNs);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", 5);
        info.put("storage_identifier", storage);
        info.put("duration", Map.of("nanoseconds", duration));
        info.put("starting_time", Map.of("nanoseconds_since_epoch", startNs));
        info.put("message_count", total);
        List<Object> withCounts = new ArrayList<>();
        for (TopicCount t : topics) {
            Map<String, Object> topic = new LinkedHashMap<>();
            topic.put("name", t.topic());
            topic.put("type", t.type());
            topic.put("serialization_format", "cdr");
            topic.put("offered_qos_profiles", "");
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("topic_metadata", topic);
            entry.put("message_count", t.messages());
            withCounts.add(entry);
        }
        info.put("topics_with_message_count", withCounts);
        info.put("compression_format", "");
        info.put("compression_mode", "");
        info.put("relative_file_paths", List.of(file));
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("path", file);
        part.put("starting_time", Map.of("nanoseconds_since_epoch", startNs));
        part.put("duration", Map.of("nanoseconds", duration));
        part.put("message_count", total);
        info.put("files", List.of(part));
        DumperOptions style = new DumperOptions();
        style.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        style.setIndent(2);
        style.setIndicatorIndent(2);
        style.setIndentWithIndicator(true);
        String text = new Yaml(style).dump(Map.of("rosbag2_bagfile_information", info));
        try {
            Path tmp = folder.resolve(FILE_NAME + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(
                    tmp,
                    folder.resolve(FILE_NAME),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

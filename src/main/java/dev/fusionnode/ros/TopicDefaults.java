package dev.fusionnode.ros;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which topics of a bag or a bridge the node takes as its sensors when none are named: the one
 * image topic as {@code front} and the one scan topic as {@code top}; with several, each by its
 * namespace ({@code /left/image_raw/compressed} as {@code left}, {@code /top/points} as {@code
 * top}), as the node records them. The node's own outputs ({@code /fusion/...}) are never inputs.
 */
public final class TopicDefaults {
    /** Message types read as camera images. */
    public static final List<String> IMAGE_TYPES =
            List.of(RosSchemas.IMAGE, RosSchemas.COMPRESSED_IMAGE);

    /** Message types read as LiDAR scans. */
    public static final List<String> SCAN_TYPES =
            List.of(RosSchemas.POINT_CLOUD, VelodyneScans.TYPE);

    /** Where the node's own outputs are. */
    public static final String OUTPUTS = "/fusion/";

    private TopicDefaults() {}

    /**
     * The default topic-to-sensor map of topics of these types, or empty when it is ambiguous (no
     * image topic, or namespaces that do not tell sensors apart).
     */
    public static Optional<Map<String, String>> of(Map<String, String> typeOf) {
        List<String> images = new ArrayList<>();
        List<String> scans = new ArrayList<>();
        typeOf.forEach(
                (topic, type) -> {
                    if (topic.startsWith(OUTPUTS)) {
                        return;
                    }
                    if (IMAGE_TYPES.contains(type)) {
                        images.add(topic);
                    } else if (SCAN_TYPES.contains(type)) {
                        scans.add(topic);
                    }
                });
        Map<String, String> out = new LinkedHashMap<>();
        if (images.size() == 1 && scans.size() <= 1) {
            out.put(images.get(0), "front");
            scans.forEach(c -> out.put(c, "top"));
            return Optional.of(out);
        }
        images.forEach(t -> out.put(t, namespace(t)));
        scans.forEach(t -> out.put(t, namespace(t)));
        if (images.isEmpty()
                || out.containsValue(null)
                || out.size() != Set.copyOf(out.values()).size()) {
            return Optional.empty();
        }
        return Optional.of(out);
    }

    /** What the image and scan topics are, for an error that asks for a map. */
    public static String describe(Map<String, String> typeOf) {
        List<String> images = new ArrayList<>();
        List<String> scans = new ArrayList<>();
        typeOf.forEach(
                (topic, type) -> {
                    if (IMAGE_TYPES.contains(type)) {
                        images.add(topic);
                    } else if (SCAN_TYPES.contains(type)) {
                        scans.add(topic);
                    }
                });
        return "image topics " + images + " and scan topics " + scans;
    }

    /** A topic's first name ({@code /left/image_raw} -> {@code left}) if it is a valid id. */
    private static String namespace(String topic) {
        String[] parts = topic.split("/");
        return parts.length > 2 && parts[1].matches("[A-Za-z0-9_-]{1,64}") ? parts[1] : null;
    }
}

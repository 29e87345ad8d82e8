package dev.fusionnode.bridge;

import dev.fusionnode.ros.RosSchemas;
import dev.fusionnode.ros.TopicDefaults;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a bridge advertises and what the node subscribes to, for one connection: the mapped camera
 * and scan topics, each mapped camera's {@code CameraInfo} (the nearest in its namespace), and
 * {@code /tf_static} and {@code /tf} for the calibration. Only {@code cdr} channels are taken. Not
 * thread-safe (the source's event loop).
 */
final class BridgeChannels {
    /** An advertised channel. */
    record Channel(long id, String topic, String encoding, String type) {}

    /** Why a channel is subscribed. */
    enum Role {
        CAMERA,
        SCAN,
        CAMERA_INFO,
        TRANSFORMS
    }

    /**
     * A subscription.
     *
     * @param id the node's subscription id
     * @param channel the channel
     * @param role what its messages are
     * @param sensorId the camera or LiDAR it feeds (the camera a camera info calibrates; empty for
     *     transforms)
     */
    record Subscription(int id, Channel channel, Role role, String sensorId) {}

    private final Map<String, String> configured;
    private final Map<Long, Channel> channels = new LinkedHashMap<>();
    private final Map<Integer, Subscription> subscriptions = new HashMap<>();
    private final Map<Long, Subscription> byChannel = new HashMap<>();
    private int nextId = 1;

    /**
     * @param configured topic to sensor id; empty for the defaults
     */
    BridgeChannels(Map<String, String> configured) {
        this.configured = configured;
    }

    /** A new connection: nothing advertised or subscribed. */
    void clear() {
        channels.clear();
        subscriptions.clear();
        byChannel.clear();
    }

    /**
     * Takes an {@code advertise} operation's channels.
     *
     * @return the problems of channels that could not be read (missing fields)
     */
    List<String> advertised(JsonArray list) {
        List<String> problems = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof JsonObject c)
                    || !(c.getValue("id") instanceof Number id)
                    || !(c.getValue("topic") instanceof String topic)
                    || !(c.getValue("encoding") instanceof String encoding)
                    || !(c.getValue("schemaName") instanceof String type)) {
                problems.add("a channel without id, topic, encoding and schemaName: " + o);
                continue;
            }
            channels.put(id.longValue(), new Channel(id.longValue(), topic, encoding, type));
        }
        return problems;
    }

    /** Takes an {@code unadvertise} operation's channel ids. */
    void unadvertised(JsonArray ids) {
        for (Object o : ids) {
            if (o instanceof Number id) {
                channels.remove(id.longValue());
                Subscription s = byChannel.remove(id.longValue());
                if (s != null) {
                    subscriptions.remove(s.id());
                }
            }
        }
    }

    /** The topic map in force: the configured one, or the defaults over what is advertised. */
    Optional<Map<String, String>> mapping() {
        if (!configured.isEmpty()) {
            return Optional.of(configured);
        }
        return TopicDefaults.of(cdrTypes());
    }

    /** Each advertised CDR topic's type. */
    Map<String, String> cdrTypes() {
        Map<String, String> out = new TreeMap<>();
        channels.values().stream()
                .filter(c -> "cdr".equals(c.encoding()))
                .forEach(c -> out.put(c.topic(), c.type()));
        return out;
    }

    /** The subscriptions to make now (each channel once), recorded as made. */
    List<Subscription> subscribeNow() {
        Map<String, String> map = mapping().orElse(Map.of());
        List<Subscription> out = new ArrayList<>();
        for (Channel c : channels.values()) {
            if (byChannel.containsKey(c.id()) || !"cdr".equals(c.encoding())) {
                continue;
            }
            String sensor = map.get(c.topic());
            Role role = null;
            if (sensor != null && TopicDefaults.IMAGE_TYPES.contains(c.type())) {
                role = Role.CAMERA;
            } else if (sensor != null && TopicDefaults.SCAN_TYPES.contains(c.type())) {
                role = Role.SCAN;
            } else if (RosSchemas.CAMERA_INFO.equals(c.type())) {
                sensor = cameraOfInfo(c.topic(), map);
                role = sensor == null ? null : Role.CAMERA_INFO;
            } else if (RosSchemas.TF.equals(c.type())
                    && (c.topic().equals("/tf_static") || c.topic().equals("/tf"))) {
                sensor = "";
                role = Role.TRANSFORMS;
            }
            if (role != null) {
                Subscription s = new Subscription(nextId++, c, role, sensor);
                subscriptions.put(s.id(), s);
                byChannel.put(c.id(), s);
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The camera whose image topic lies in the camera info's namespace ({@code /cam/camera_info}
     * calibrates {@code /cam/image_raw}); none when no camera or several do.
     */
    private String cameraOfInfo(String infoTopic, Map<String, String> map) {
        String ns = infoTopic.substring(0, infoTopic.lastIndexOf('/') + 1);
        Map<String, String> types = cdrTypes();
        List<String> cameras = new ArrayList<>();
        map.forEach(
                (topic, id) -> {
                    String type = types.get(topic);
                    if (type != null
                            && TopicDefaults.IMAGE_TYPES.contains(type)
                            && topic.startsWith(ns)
                            && !cameras.contains(id)) {
                        cameras.add(id);
                    }
                });
        return cameras.size() == 1 ? cameras.get(0) : null;
    }

    /** The subscription of an id the node gave, if it is one. */
    Optional<Subscription> subscription(int id) {
        return Optional.ofNullable(subscriptions.get(id));
    }

    /** Subscribed topics to their role and sensor, for the status. */
    JsonObject describe() {
        JsonObject out = new JsonObject();
        subscriptions
                .values()
                .forEach(
                        s ->
                                out.put(
                                        s.channel().topic(),
                                        s.role().name().toLowerCase(Locale.ROOT)
                                                + (s.sensorId().isEmpty()
                                                        ? ""
                                                        : " " + s.sensorId())));
        return out;
    }

    /** Channels advertised. */
    int advertisedCount() {
        return channels.size();
    }
}

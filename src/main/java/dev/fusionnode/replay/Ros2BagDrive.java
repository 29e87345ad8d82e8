package dev.fusionnode.replay;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.mcap.McapReader;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.ros.SensorMessages;
import dev.fusionnode.ros.TfTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ROS 2 bag in MCAP ({@code ros2 bag record} since Iron: {@code cdr} messages, {@code ros2msg}
 * schemas) as a drive: one frame per message of a mapped camera topic ({@code
 * sensor_msgs/msg/Image} or {@code CompressedImage}), with the mapped LiDAR topics' {@code
 * PointCloud2} scans recorded from it to the next image. Topics map to the node's sensor ids; with
 * no map, the one image topic is {@code front} and the one point cloud topic {@code top}. Messages
 * of other topics are skipped and counted per topic. Times are the messages' header stamps; loop
 * passes shift them by the drive's length plus one frame period.
 *
 * @param name drive name
 * @param file the bag's MCAP file
 * @param reader its reader (data read on demand; used under this drive's lock)
 * @param sensors topic to sensor id, for the mapped camera and LiDAR topics
 * @param frameList the frames: each camera message with the scans before it
 * @param skippedPerTopic messages of topics that are not mapped, per topic
 * @param passShiftNs how much later each loop pass plays
 * @param calibrations each camera's calibration against each LiDAR found in the bag (its {@code
 *     CameraInfo} beside the image topic, the extrinsic from {@code /tf_static})
 */
public record Ros2BagDrive(
        String name,
        Path file,
        McapReader reader,
        Map<String, String> sensors,
        List<Frame> frameList,
        Map<String, Integer> skippedPerTopic,
        long passShiftNs,
        List<CalibrationUpdate> calibrations)
        implements DriveSource {
    private static final Logger LOG = LoggerFactory.getLogger(Ros2BagDrive.class);

    /** Message types read as camera images. */
    static final List<String> IMAGE_TYPES =
            List.of("sensor_msgs/msg/Image", "sensor_msgs/msg/CompressedImage");

    /** Message type read as LiDAR scans. */
    static final String CLOUD_TYPE = "sensor_msgs/msg/PointCloud2";

    /** Message type read as a camera's intrinsics. */
    static final String INFO_TYPE = "sensor_msgs/msg/CameraInfo";

    /** Message type of the transforms. */
    static final String TF_TYPE = "tf2_msgs/msg/TFMessage";

    /**
     * One frame's messages.
     *
     * @param camera the image message
     * @param scans the scans recorded from this image to the next (the first frame also takes those
     *     before it)
     */
    public record Frame(McapReader.MessageRef camera, List<McapReader.MessageRef> scans) {}

    /** Whether {@code reader}'s file is a ROS 2 bag (its channels carry CDR messages). */
    public static boolean isRos2(McapReader reader) {
        return reader.channels().values().stream().anyMatch(c -> "cdr".equals(c.messageEncoding()));
    }

    /**
     * Reads the bag's index.
     *
     * @param topics topic to sensor id; empty: the one image topic and the one cloud topic
     * @throws BadInputException when the file is not MCAP, or the topics cannot be mapped
     */
    public static Ros2BagDrive open(Path file, String name, Map<String, String> topics) {
        McapReader r = McapReader.open(file);
        Map<String, String> typeOf = new TreeMap<>();
        r.channels()
                .values()
                .forEach(c -> typeOf.put(c.topic(), r.schemas().get(c.schemaId()).name()));
        Map<String, String> sensors = topics.isEmpty() ? defaults(typeOf, file) : topics;
        for (String topic : sensors.keySet()) {
            String type = typeOf.get(topic);
            if (type == null || (!IMAGE_TYPES.contains(type) && !CLOUD_TYPE.equals(type))) {
                throw new BadInputException(
                        BadInputReason.MALFORMED_RECORDING,
                        file,
                        "topic '"
                                + topic
                                + "' is "
                                + (type == null ? "not in the bag" : "a " + type)
                                + "; the bag has "
                                + typeOf);
            }
        }
        // a frame takes the scans recorded from its image to the next image (and the first frame
        // those before it): a bag is written in arrival order, and a scan often arrives after the
        // image of the same instant; the synchroniser pairs them by their stamps
        List<McapReader.MessageRef> cameras = new ArrayList<>();
        List<List<McapReader.MessageRef>> scansOf = new ArrayList<>();
        List<McapReader.MessageRef> leading = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        // for the calibration: each topic's first message, and the static transforms
        Map<String, McapReader.MessageRef> firstOf = new LinkedHashMap<>();
        List<McapReader.MessageRef> staticTransforms = new ArrayList<>();
        for (McapReader.MessageRef m : r.messagesInFileOrder()) {
            String topic = r.channels().get(m.channelId()).topic();
            firstOf.putIfAbsent(topic, m);
            if (topic.equals("/tf_static") && TF_TYPE.equals(typeOf.get(topic))) {
                staticTransforms.add(m);
            }
            if (!sensors.containsKey(topic)) {
                skipped.merge(topic, 1, Integer::sum);
            } else if (CLOUD_TYPE.equals(typeOf.get(topic))) {
                (cameras.isEmpty() ? leading : scansOf.get(scansOf.size() - 1)).add(m);
            } else {
                cameras.add(m);
                scansOf.add(new ArrayList<>(cameras.size() == 1 ? leading : List.of()));
            }
        }
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < cameras.size(); i++) {
            frames.add(new Frame(cameras.get(i), List.copyOf(scansOf.get(i))));
        }
        long shift =
                McapDrive.passShiftNs(
                        frames.stream().map(f -> f.camera().logTimeNs()).toList(), file);
        if (!skipped.isEmpty()) {
            LOG.info("bag {}: topics not mapped to a sensor are skipped: {}", file, skipped);
        }
        return new Ros2BagDrive(
                name,
                file,
                r,
                Map.copyOf(sensors),
                List.copyOf(frames),
                skipped,
                shift,
                calibrations(r, typeOf, sensors, firstOf, staticTransforms, file));
    }

    /**
     * Each mapped camera against each mapped LiDAR: the intrinsics of the first {@code CameraInfo}
     * in the image topic's namespace, the extrinsic from the {@code /tf_static} tree between the
     * first scan's frame and the camera info's frame. Pairs the bag cannot tell are left out.
     */
    private static List<CalibrationUpdate> calibrations(
            McapReader r,
            Map<String, String> typeOf,
            Map<String, String> sensors,
            Map<String, McapReader.MessageRef> firstOf,
            List<McapReader.MessageRef> staticTransforms,
            Path file) {
        TfTree tf = new TfTree();
        for (McapReader.MessageRef m : staticTransforms) {
            try {
                SensorMessages.tfMessage(r.data(m), file + " (/tf_static)").forEach(tf::add);
            } catch (BadInputException e) {
                LOG.warn("bag {}: a transform message is unreadable: {}", file, e.getMessage());
            }
        }
        // each mapped LiDAR's frame, from its first scan's header
        Map<String, String> lidarFrames = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : sensors.entrySet()) {
            if (CLOUD_TYPE.equals(typeOf.get(e.getKey()))) {
                try {
                    lidarFrames.put(
                            e.getValue(),
                            SensorMessages.frameId(r.data(firstOf.get(e.getKey())), e.getKey()));
                } catch (BadInputException x) {
                    LOG.warn("bag {}: no frame id from {}: {}", file, e.getKey(), x.getMessage());
                }
            }
        }
        List<CalibrationUpdate> out = new ArrayList<>();
        for (Map.Entry<String, String> camera : sensors.entrySet()) {
            String info =
                    IMAGE_TYPES.contains(typeOf.get(camera.getKey()))
                            ? infoTopic(camera.getKey(), typeOf)
                            : null;
            if (info == null) {
                continue;
            }
            SensorMessages.Stamped<SensorMessages.CameraIntrinsics> k;
            try {
                k = SensorMessages.cameraInfo(r.data(firstOf.get(info)), file + " (" + info + ")");
            } catch (BadInputException e) {
                LOG.warn("bag {}: no calibration from {}: {}", file, info, e.getMessage());
                continue;
            }
            lidarFrames.forEach(
                    (lidarId, lidarFrame) ->
                            tf.transform(lidarFrame, k.frameId())
                                    .map(
                                            t ->
                                                    new Calibration(
                                                            k.value().width(),
                                                            k.value().height(),
                                                            k.value().model(),
                                                            t))
                                    .ifPresent(
                                            c ->
                                                    out.add(
                                                            new CalibrationUpdate(
                                                                    camera.getValue(),
                                                                    lidarId,
                                                                    Long.MIN_VALUE,
                                                                    Optional.of(c)))));
        }
        return List.copyOf(out);
    }

    /**
     * The camera info topic nearest above an image topic ({@code /cam/image_raw} -> {@code
     * /cam/camera_info}).
     */
    private static String infoTopic(String imageTopic, Map<String, String> typeOf) {
        String best = null;
        for (Map.Entry<String, String> e : typeOf.entrySet()) {
            if (!INFO_TYPE.equals(e.getValue())) {
                continue;
            }
            String ns = e.getKey().substring(0, Math.max(0, e.getKey().lastIndexOf('/')) + 1);
            if (imageTopic.startsWith(ns)
                    && (best == null || ns.length() > best.lastIndexOf('/') + 1)) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** The one image topic as {@code front}, the one cloud topic as {@code top}. */
    private static Map<String, String> defaults(Map<String, String> typeOf, Path file) {
        List<String> images = new ArrayList<>();
        List<String> clouds = new ArrayList<>();
        typeOf.forEach(
                (topic, type) -> {
                    if (IMAGE_TYPES.contains(type)) {
                        images.add(topic);
                    } else if (CLOUD_TYPE.equals(type)) {
                        clouds.add(topic);
                    }
                });
        if (images.size() != 1 || clouds.size() > 1) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_RECORDING,
                    file,
                    "has image topics "
                            + images
                            + " and point cloud topics "
                            + clouds
                            + "; name the ones to play in the playlist's 'topics' (topic to sensor"
                            + " id)");
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put(images.get(0), "front");
        clouds.forEach(c -> out.put(c, "top"));
        return out;
    }

    @Override
    public int frames() {
        return frameList.size();
    }

    @Override
    public String kind() {
        return "ros2 bag";
    }

    @Override
    public FrameSource open(NodeMetrics metrics) {
        return new FrameSource() {
            @Override
            public Optional<CalibrationUpdate> startCalibration() {
                return calibrations.stream().findFirst();
            }

            @Override
            public List<CalibrationUpdate> startCalibrations() {
                return calibrations;
            }

            @Override
            public LoadedFrame load(long generation, int index, int pass) {
                return loadFrame(metrics, generation, index, pass);
            }
        };
    }

    /**
     * One frame decoded: its camera image and the scans that go with it.
     *
     * @param camera the camera frame (stamped, sequence numbered on the replay's timeline)
     * @param scans the scans that could be read (a bad one is counted and left out by the replay;
     *     here it is simply absent)
     * @param badScans what was wrong with the others
     */
    public record Decoded(
            CameraFrame camera, List<LidarScan> scans, List<BadInputException> badScans) {}

    /**
     * Decodes frame {@code index} of loop pass {@code pass}.
     *
     * @throws BadInputException when its image cannot be read
     */
    public synchronized Decoded decode(int index, int pass) {
        Frame f = frameList.get(index);
        long timeline = (long) pass * frameList.size() + index;
        long shift = pass * passShiftNs;
        String topic = topicOf(f.camera());
        byte[] data = reader.data(f.camera());
        String type =
                reader.schemas()
                        .get(reader.channels().get(f.camera().channelId()).schemaId())
                        .name();
        SensorMessages.Stamped<Image> img =
                type.equals(IMAGE_TYPES.get(0))
                        ? SensorMessages.image(data, origin(f.camera()))
                        : SensorMessages.compressedImage(data, origin(f.camera()));
        CameraFrame camera =
                new CameraFrame(
                        sensors.get(topic),
                        timeline,
                        img.stampNs() + shift,
                        img.value(),
                        origin(f.camera()));
        List<LidarScan> scans = new ArrayList<>();
        List<BadInputException> bad = new ArrayList<>();
        for (McapReader.MessageRef m : f.scans()) {
            try {
                SensorMessages.Stamped<PointCloud> cloud =
                        SensorMessages.pointCloud(reader.data(m), origin(m));
                scans.add(
                        LidarScan.of(
                                sensors.get(topicOf(m)),
                                timeline,
                                cloud.stampNs() + shift,
                                cloud.value(),
                                origin(m)));
            } catch (BadInputException e) {
                bad.add(e);
            }
        }
        return new Decoded(camera, List.copyOf(scans), List.copyOf(bad));
    }

    private LoadedFrame loadFrame(NodeMetrics metrics, long generation, int index, int pass) {
        long timeline = (long) pass * frameList.size() + index;
        Decoded d;
        try {
            d = decode(index, pass);
        } catch (BadInputException e) {
            bad(metrics, e, "frame skipped");
            metrics.frameDropped(DropReason.BAD_INPUT);
            return new LoadedFrame(
                    generation, timeline, Optional.empty(), List.of(), Optional.empty());
        }
        d.badScans().forEach(e -> bad(metrics, e, "frame goes on without this scan"));
        return new LoadedFrame(
                generation, timeline, Optional.of(d.camera()), d.scans(), Optional.empty());
    }

    private String topicOf(McapReader.MessageRef m) {
        return reader.channels().get(m.channelId()).topic();
    }

    private String origin(McapReader.MessageRef m) {
        return file + " (" + topicOf(m) + " #" + m.sequence() + ")";
    }

    private static void bad(NodeMetrics metrics, BadInputException e, String consequence) {
        metrics.badInput(e.reason());
        LOG.warn("bad input [reason: {}]: {}; {}", e.reason().asTag(), e.getMessage(), consequence);
    }
}

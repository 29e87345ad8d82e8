package dev.fusionnode.replay;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.pipeline.CameraFrame;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.LidarScan;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.ros.Bag;
import dev.fusionnode.ros.BagMessage;
import dev.fusionnode.ros.SensorMessages;
import dev.fusionnode.ros.TopicDefaults;
import dev.fusionnode.velodyne.VelodyneScanDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ROS 2 bag ({@code ros2 bag record}: MCAP since Iron, SQLite {@code .db3} before; a bag folder
 * with its {@code metadata.yaml} or one file) as a drive: one frame per message of a mapped camera
 * topic ({@code sensor_msgs/msg/Image} or {@code CompressedImage}), with the mapped LiDAR topics'
 * scans ({@code PointCloud2}, or {@code velodyne_msgs/msg/VelodyneScan} packets through the node's
 * Velodyne decoder) recorded from it to the next image. Topics map to the node's sensor ids; with
 * no map, the one image topic is {@code front} and the one point cloud topic {@code top}. Messages
 * of other topics are skipped and counted per topic. Times are the messages' header stamps; loop
 * passes shift them by the drive's length plus one frame period.
 *
 * @param name drive name
 * @param file the bag's folder or file
 * @param bag the bag (data read on demand; used under this drive's lock)
 * @param sensors topic to sensor id, for the mapped camera and LiDAR topics
 * @param frameList the frames: each camera message with the scans before it
 * @param skippedPerTopic messages of topics that are not mapped, per topic
 * @param passShiftNs how much later each loop pass plays
 * @param calibrations each camera's calibration against each LiDAR found in the bag (its {@code
 *     CameraInfo} beside the image topic, the extrinsic from {@code /tf_static} and {@code /tf})
 */
public record Ros2BagDrive(
        String name,
        Path file,
        Bag bag,
        Map<String, String> sensors,
        List<Frame> frameList,
        Map<String, Integer> skippedPerTopic,
        long passShiftNs,
        List<CalibrationUpdate> calibrations)
        implements DriveSource {
    private static final Logger LOG = LoggerFactory.getLogger(Ros2BagDrive.class);

    /** Message types read as camera images. */
    static final List<String> IMAGE_TYPES = TopicDefaults.IMAGE_TYPES;

    /** Message types read as LiDAR scans. */
    static final List<String> CLOUD_TYPES = TopicDefaults.SCAN_TYPES;

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
    public record Frame(BagMessage camera, List<BagMessage> scans) {}

    /**
     * The drive over a bag already open (its closing stays with the caller).
     *
     * @throws BadInputException when the topics cannot be mapped
     */
    public static Ros2BagDrive of(Bag bag, String name, Map<String, String> topics) {
        return index(bag, bag.path(), name, topics);
    }

    /**
     * Reads the bag's index.
     *
     * @param topics topic to sensor id; empty: the one image topic and the one cloud topic
     * @throws BadInputException when the file is not a bag, or the topics cannot be mapped
     */
    public static Ros2BagDrive open(Path file, String name, Map<String, String> topics) {
        Bag r = Bag.open(file);
        try {
            return index(r, file, name, topics);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private static Ros2BagDrive index(Bag r, Path file, String name, Map<String, String> topics) {
        Map<String, String> typeOf = r.types();
        Map<String, String> sensors = topics.isEmpty() ? defaults(typeOf, file) : topics;
        for (String topic : sensors.keySet()) {
            String type = typeOf.get(topic);
            if (type == null || (!IMAGE_TYPES.contains(type) && !CLOUD_TYPES.contains(type))) {
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
        List<BagMessage> cameras = new ArrayList<>();
        List<List<BagMessage>> scansOf = new ArrayList<>();
        List<BagMessage> leading = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        BagCalibrations calibrations = new BagCalibrations(r, typeOf, sensors);
        for (BagMessage m : r.messages()) {
            String topic = m.topic();
            calibrations.see(m);
            if (!sensors.containsKey(topic)) {
                skipped.merge(topic, 1, Integer::sum);
            } else if (CLOUD_TYPES.contains(typeOf.get(topic))) {
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
                calibrations.updates(file));
    }

    /** The topics to play when the playlist names none ({@link TopicDefaults}). */
    private static Map<String, String> defaults(Map<String, String> typeOf, Path file) {
        return TopicDefaults.of(typeOf)
                .orElseThrow(
                        () ->
                                new BadInputException(
                                        BadInputReason.MALFORMED_RECORDING,
                                        file,
                                        "has "
                                                + TopicDefaults.describe(typeOf)
                                                + "; name the ones to play in the playlist's"
                                                + " 'topics' (topic to sensor id)"));
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
        String topic = f.camera().topic();
        byte[] data = bag.data(f.camera());
        String type = bag.types().get(topic);
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
        for (BagMessage m : f.scans()) {
            try {
                SensorMessages.Stamped<PointCloud> cloud =
                        VelodyneScanDecoder.rosScan(
                                bag.types().get(m.topic()), bag.data(m), origin(m));
                scans.add(
                        LidarScan.of(
                                sensors.get(m.topic()),
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

    private String origin(BagMessage m) {
        return file + " (" + m.topic() + " #" + m.sequence() + ")";
    }

    private static void bad(NodeMetrics metrics, BadInputException e, String consequence) {
        metrics.badInput(e.reason());
        LOG.warn("bad input [reason: {}]: {}; {}", e.reason().asTag(), e.getMessage(), consequence);
    }
}

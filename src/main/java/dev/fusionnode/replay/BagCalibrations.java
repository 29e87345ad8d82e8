package dev.fusionnode.replay;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.ros.Bag;
import dev.fusionnode.ros.BagMessage;
import dev.fusionnode.ros.SensorMessages;
import dev.fusionnode.ros.TfTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a bag says about its own calibration, gathered while its index is read: each mapped camera
 * against each mapped LiDAR, the intrinsics of the first {@code CameraInfo} in the image topic's
 * namespace ({@code /cam/image_raw} takes {@code /cam/camera_info}), the extrinsic from the
 * transform tree between the first scan's frame and the camera info's frame. The tree is {@code
 * /tf_static}, completed by the first {@code /tf} transforms of edges it lacks (at most {@value
 * #MAX_DYNAMIC} messages are read: sensors are rigid on the vehicle). Pairs the bag cannot tell are
 * left out.
 */
final class BagCalibrations {
    private static final Logger LOG = LoggerFactory.getLogger(BagCalibrations.class);

    /** {@code /tf} messages read at most. */
    static final int MAX_DYNAMIC = 200;

    private final Bag bag;
    private final Map<String, String> typeOf;
    private final Map<String, String> sensors;
    private final Map<String, BagMessage> firstOf = new LinkedHashMap<>();
    private final List<BagMessage> staticTransforms = new ArrayList<>();
    private final List<BagMessage> transforms = new ArrayList<>();

    BagCalibrations(Bag bag, Map<String, String> typeOf, Map<String, String> sensors) {
        this.bag = bag;
        this.typeOf = typeOf;
        this.sensors = sensors;
    }

    /** Takes note of a message of the bag, in bag order. */
    void see(BagMessage m) {
        firstOf.putIfAbsent(m.topic(), m);
        if (!Ros2BagDrive.TF_TYPE.equals(typeOf.get(m.topic()))) {
            return;
        }
        if (m.topic().equals("/tf_static")) {
            staticTransforms.add(m);
        } else if (m.topic().equals("/tf") && transforms.size() < MAX_DYNAMIC) {
            transforms.add(m);
        }
    }

    /** The calibrations found, in force from the drive's start. */
    List<CalibrationUpdate> updates(Path file) {
        TfTree tf = new TfTree();
        for (BagMessage m : staticTransforms) {
            edges(m, file).forEach(tf::add);
        }
        for (BagMessage m : transforms) {
            edges(m, file).forEach(tf::addIfAbsent);
        }
        Map<String, String> lidarFrames = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : sensors.entrySet()) {
            if (Ros2BagDrive.CLOUD_TYPES.contains(typeOf.get(e.getKey()))
                    && firstOf.containsKey(e.getKey())) {
                try {
                    lidarFrames.put(
                            e.getValue(),
                            SensorMessages.frameId(bag.data(firstOf.get(e.getKey())), e.getKey()));
                } catch (BadInputException x) {
                    LOG.warn("bag {}: no frame id from {}: {}", file, e.getKey(), x.getMessage());
                }
            }
        }
        List<CalibrationUpdate> out = new ArrayList<>();
        for (Map.Entry<String, String> camera : sensors.entrySet()) {
            String info =
                    Ros2BagDrive.IMAGE_TYPES.contains(typeOf.get(camera.getKey()))
                            ? infoTopic(camera.getKey())
                            : null;
            if (info == null || !firstOf.containsKey(info)) {
                continue;
            }
            SensorMessages.Stamped<SensorMessages.CameraIntrinsics> k;
            try {
                k =
                        SensorMessages.cameraInfo(
                                bag.data(firstOf.get(info)), file + " (" + info + ")");
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

    private List<TfTree.Edge> edges(BagMessage m, Path file) {
        try {
            return SensorMessages.tfMessage(bag.data(m), file + " (" + m.topic() + ")");
        } catch (BadInputException e) {
            LOG.warn("bag {}: a transform message is unreadable: {}", file, e.getMessage());
            return List.of();
        }
    }

    /** The camera info topic nearest above an image topic. */
    private String infoTopic(String imageTopic) {
        String best = null;
        for (Map.Entry<String, String> e : typeOf.entrySet()) {
            if (!Ros2BagDrive.INFO_TYPE.equals(e.getValue())) {
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
}

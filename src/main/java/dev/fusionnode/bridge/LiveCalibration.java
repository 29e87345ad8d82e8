package dev.fusionnode.bridge;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.pipeline.CalibrationUpdate;
import dev.fusionnode.ros.SensorMessages;
import dev.fusionnode.ros.TfTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The calibration live topics state: each camera's latest {@code CameraInfo}, each LiDAR's frame
 * (from its scans' headers) and the transform tree ({@code /tf_static}; {@code /tf} fills edges it
 * lacks). {@link #changes} gives the calibrations that are new or differ from the last ones given,
 * so that a camera info repeated with every image costs nothing. Not thread-safe.
 */
final class LiveCalibration {
    private final Map<String, SensorMessages.Stamped<SensorMessages.CameraIntrinsics>> cameras =
            new LinkedHashMap<>();
    private final Map<String, String> lidarFrames = new LinkedHashMap<>();
    private final TfTree tf = new TfTree();
    private final Map<String, String> given = new HashMap<>();

    /** A camera's intrinsics. */
    void camera(String cameraId, SensorMessages.Stamped<SensorMessages.CameraIntrinsics> info) {
        cameras.put(cameraId, info);
    }

    /** A LiDAR's frame, from a scan's header. */
    void lidarFrame(String lidarId, String frameId) {
        lidarFrames.put(lidarId, frameId);
    }

    /** Transforms; {@code isStatic} for {@code /tf_static} (which replace), else {@code /tf}. */
    void transforms(List<TfTree.Edge> edges, boolean isStatic) {
        edges.forEach(isStatic ? tf::add : tf::addIfAbsent);
    }

    /** The calibrations that are new or changed since the last call. */
    List<CalibrationUpdate> changes() {
        List<CalibrationUpdate> out = new ArrayList<>();
        cameras.forEach(
                (cameraId, info) ->
                        lidarFrames.forEach(
                                (lidarId, lidarFrame) ->
                                        tf.transform(lidarFrame, info.frameId())
                                                .ifPresent(
                                                        t -> {
                                                            Calibration c =
                                                                    new Calibration(
                                                                            info.value().width(),
                                                                            info.value().height(),
                                                                            info.value().model(),
                                                                            t);
                                                            String key = cameraId + "\0" + lidarId;
                                                            String sig = signature(c);
                                                            if (!sig.equals(given.get(key))) {
                                                                given.put(key, sig);
                                                                out.add(
                                                                        new CalibrationUpdate(
                                                                                cameraId,
                                                                                lidarId,
                                                                                Long.MIN_VALUE,
                                                                                Optional.of(c)));
                                                            }
                                                        })));
        return out;
    }

    private static String signature(Calibration c) {
        return c.width()
                + "x"
                + c.height()
                + " "
                + c.camera()
                + " "
                + Arrays.toString(c.lidarToCamera().toArray());
    }
}

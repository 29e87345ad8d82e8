package dev.fusionnode.calib;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A vehicle's sensor rig: its cameras and LiDARs, each placed in the vehicle frame (x forward, y
 * left, z up, metres). Any camera-LiDAR pair's calibration follows from the two placements; a
 * camera described by a calibration against one LiDAR keeps that calibration exactly for it.
 * Immutable.
 *
 * @param cameras the cameras, in the order they are listed
 * @param lidars the LiDARs, in the order they are listed
 */
public record Rig(List<Camera> cameras, List<Lidar> lidars) {
    /**
     * One camera.
     *
     * @param id the sensor id its frames carry
     * @param width image width the intrinsics refer to
     * @param height image height
     * @param model intrinsics and distortion
     * @param cameraToVehicle maps points of the camera's optical frame (x right, y down, z forward)
     *     into the vehicle frame
     * @param measured the calibration it was described by, against one LiDAR, if any
     */
    public record Camera(
            String id,
            int width,
            int height,
            CameraModel model,
            RigidTransform cameraToVehicle,
            Optional<Measured> measured) {
        /** Validates the parts. */
        public Camera {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(cameraToVehicle, "cameraToVehicle");
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException(
                        "camera '"
                                + id
                                + "': image size must be positive, got "
                                + width
                                + "x"
                                + height);
            }
        }

        /** The unit vector the camera looks along, in the vehicle frame. */
        public double[] opticalAxis() {
            return new double[] {
                cameraToVehicle.get(0, 2), cameraToVehicle.get(1, 2), cameraToVehicle.get(2, 2)
            };
        }

        /** Horizontal field of view in degrees (from the focal length and image width). */
        public double horizontalFovDegrees() {
            return Math.toDegrees(2 * Math.atan(width / (2 * model.fx())));
        }
    }

    /**
     * A camera's calibration as measured against one LiDAR.
     *
     * @param lidar the LiDAR's id
     * @param lidarToCamera the measured extrinsic
     */
    public record Measured(String lidar, RigidTransform lidarToCamera) {}

    /**
     * One LiDAR.
     *
     * @param id the sensor id its scans carry
     * @param model the sensor model (e.g. {@code VLP-32C}), for people
     * @param lidarToVehicle maps LiDAR-frame points into the vehicle frame
     */
    public record Lidar(String id, String model, RigidTransform lidarToVehicle) {}

    /** Validates ids (unique, at least one camera) and copies the lists. */
    public Rig {
        cameras = List.copyOf(cameras);
        lidars = List.copyOf(lidars);
        if (cameras.isEmpty()) {
            throw new IllegalArgumentException("a rig needs at least one camera");
        }
        Map<String, String> ids = new LinkedHashMap<>();
        for (Camera c : cameras) {
            if (ids.put(c.id(), "camera") != null) {
                throw new IllegalArgumentException("sensor id '" + c.id() + "' is used twice");
            }
        }
        for (Lidar l : lidars) {
            if (ids.put(l.id(), "lidar") != null) {
                throw new IllegalArgumentException("sensor id '" + l.id() + "' is used twice");
            }
        }
        List<Lidar> all = lidars;
        for (Camera c : cameras) {
            c.measured()
                    .filter(m -> all.stream().noneMatch(l -> l.id().equals(m.lidar())))
                    .ifPresent(
                            m -> {
                                throw new IllegalArgumentException(
                                        "camera '"
                                                + c.id()
                                                + "' is calibrated against LiDAR '"
                                                + m.lidar()
                                                + "', which the rig does not list");
                            });
        }
    }

    /** A one-camera, one-LiDAR rig from a calibration (the vehicle frame is the LiDAR's). */
    public static Rig of(String cameraId, String lidarId, Calibration c) {
        return of(lidarId, Map.of(cameraId, c));
    }

    /**
     * A rig of one LiDAR and the cameras calibrated against it, in the map's order (the vehicle
     * frame is the LiDAR's).
     */
    public static Rig of(String lidarId, Map<String, Calibration> cameras) {
        List<Camera> list = new ArrayList<>();
        cameras.forEach(
                (id, c) ->
                        list.add(
                                new Camera(
                                        id,
                                        c.width(),
                                        c.height(),
                                        c.camera(),
                                        c.lidarToCamera().inverseRigid(),
                                        Optional.of(new Measured(lidarId, c.lidarToCamera())))));
        return new Rig(list, List.of(new Lidar(lidarId, "", RigidTransform.identity())));
    }

    /** A camera by id. */
    public Optional<Camera> camera(String id) {
        return cameras.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** A LiDAR by id. */
    public Optional<Lidar> lidar(String id) {
        return lidars.stream().filter(l -> l.id().equals(id)).findFirst();
    }

    /**
     * The calibration of camera {@code cameraId} against LiDAR {@code lidarId}: the measured one
     * when the camera was described against that LiDAR, else composed through the vehicle frame.
     */
    public Optional<Calibration> calibration(String cameraId, String lidarId) {
        Optional<Camera> cam = camera(cameraId);
        Optional<Lidar> lidar = lidar(lidarId);
        if (cam.isEmpty() || lidar.isEmpty()) {
            return Optional.empty();
        }
        Camera c = cam.get();
        RigidTransform lidarToCamera =
                c.measured()
                        .filter(m -> m.lidar().equals(lidarId))
                        .map(Measured::lidarToCamera)
                        .orElseGet(
                                () ->
                                        c.cameraToVehicle()
                                                .inverseRigid()
                                                .compose(lidar.get().lidarToVehicle()));
        return Optional.of(new Calibration(c.width(), c.height(), c.model(), lidarToCamera));
    }

    /**
     * Maps points of LiDAR {@code from} into the frame of LiDAR {@code to}, when both are listed.
     */
    public Optional<RigidTransform> lidarToLidar(String from, String to) {
        Optional<Lidar> a = lidar(from);
        Optional<Lidar> b = lidar(to);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                b.get().lidarToVehicle().inverseRigid().compose(a.get().lidarToVehicle()));
    }

    /** The ids of the cameras. */
    public List<String> cameraIds() {
        List<String> out = new ArrayList<>();
        cameras.forEach(c -> out.add(c.id()));
        return out;
    }
}

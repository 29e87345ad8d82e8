package dev.fusionnode.synth;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.KannalaBrandtCamera;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.geometry.LidarEncoding;
import dev.fusionnode.io.DatasetLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which real dataset a synthetic drive imitates: its layout, classes, camera and LiDAR rig.
 *
 * <ul>
 *   <li>{@code zod}: a Kannala-Brandt fisheye front camera with a 3848x2168 raw image (ZOD's), a
 *       64-beam LiDAR; pickles hold camera-frame points in the camera's field of view.
 *   <li>{@code iseauto}: a KITTI-style pinhole camera ({@code P2}, identity {@code R0_rect}, {@code
 *       Tr_velo_to_cam}) with Iseauto's 4240x2824 intrinsics, a 32-beam LiDAR; pickles hold the
 *       whole LiDAR-frame sweep with an in-image flag.
 * </ul>
 */
public enum SynthProfile {
    /** Zenseact Open Dataset layout (clft-spec §1.1). */
    ZOD(DatasetLayout.ZOD, 64, List.of(0, 1, 2, 3, 4, 5)),
    /** TalTech Iseauto ("xod") layout (clft-spec §1.2). */
    ISEAUTO(DatasetLayout.ISEAUTO, 32, List.of(0, 1, 2));

    private final DatasetLayout layout;
    private final int defaultBeams;
    private final List<Integer> classIds;

    SynthProfile(DatasetLayout layout, int defaultBeams, List<Integer> classIds) {
        this.layout = layout;
        this.defaultBeams = defaultBeams;
        this.classIds = classIds;
    }

    /** The command-line name. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The dataset layout written. */
    public DatasetLayout layout() {
        return layout;
    }

    /** The LiDAR image encoding of the layout's {@code lidar_png}. */
    public LidarEncoding encoding() {
        return layout.defaultEncoding();
    }

    /** Beams of the LiDAR when none is asked for. */
    public int defaultBeams() {
        return defaultBeams;
    }

    /** Every annotation id the profile writes. */
    public List<Integer> classIds() {
        return classIds;
    }

    /**
     * Each semantic class's annotation id, indexed by the class's ordinal (a rendered label image
     * becomes an annotation through it).
     */
    int[] classIdsByOrdinal() {
        SemanticClass[] classes = SemanticClass.values();
        int[] lut = new int[classes.length];
        for (SemanticClass c : classes) {
            lut[c.ordinal()] = classId(c);
        }
        return lut;
    }

    /**
     * Annotation id of a semantic class (ZOD: 0 bg, 2 vehicle, 3 sign, 4 cyclist, 5 pedestrian).
     */
    public int classId(SemanticClass c) {
        return switch (this) {
            case ZOD ->
                    switch (c) {
                        case BACKGROUND -> 0;
                        case VEHICLE -> 2;
                        case SIGN -> 3;
                        case CYCLIST -> 4;
                        case PEDESTRIAN -> 5;
                    };
            case ISEAUTO ->
                    switch (c) {
                        case BACKGROUND, SIGN -> 0;
                        case VEHICLE -> 1;
                        case CYCLIST, PEDESTRIAN -> 2;
                    };
        };
    }

    /** Name of an annotation id, for reports. */
    public String className(int id) {
        return layout.annotationClass(id);
    }

    /** Camera (optical frame) mount in the vehicle frame (x forward, y left, z up, rear axle). */
    Pose cameraMount() {
        return this == ZOD
                ? Pose.opticalMount(1.9, 0.0, 1.42, 0, Math.toRadians(1.5))
                : Pose.opticalMount(2.3, 0.05, 1.75, 0, Math.toRadians(1.0));
    }

    /** LiDAR mount in the vehicle frame. */
    Pose lidarMount() {
        return this == ZOD
                ? Pose.of(1.0, 0.0, 1.95, Math.toRadians(0.4), Math.toRadians(0.2), 0)
                : Pose.of(1.6, 0.0, 2.55, Math.toRadians(-0.5), Math.toRadians(-0.3), 0);
    }

    /** Azimuth range the LiDAR sweep covers (ZOD keeps only camera-view points anyway). */
    double[] sweptAzimuthDeg() {
        return this == ZOD ? new double[] {-80, 80} : new double[] {-180, 179.999};
    }

    /** Camera intrinsics at the raw resolution and the LiDAR-to-camera extrinsic. */
    public Calibration calibration() {
        Pose cameraFromLidar = cameraMount().inverse().compose(lidarMount());
        var camera =
                this == ZOD
                        ? new KannalaBrandtCamera(
                                1880.0, 1880.0, 1921.6, 1082.4, -0.020, 0.0030, -0.0006, 0.0)
                        : PinholeCamera.ideal(2569.546, 2590.716, 2121.915, 1395.443);
        return new Calibration(
                layout.rawWidth(), layout.rawHeight(), camera, cameraFromLidar.toRigidTransform());
    }

    /**
     * Looks a profile up by name.
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static SynthProfile fromId(String id) {
        for (SynthProfile p : values()) {
            if (p.id().equalsIgnoreCase(id) || (p == ISEAUTO && "xod".equalsIgnoreCase(id))) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown profile '"
                        + id
                        + "'; valid: "
                        + Arrays.stream(values()).map(SynthProfile::id).toList());
    }
}

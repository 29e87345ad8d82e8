package dev.fusionnode.io;

import dev.fusionnode.geometry.LidarEncoding;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The on-disk dataset layouts the node reads (clft-spec §1, §7.4) and how a split line (a camera
 * image path relative to the dataset root) leads to the frame's other files.
 */
public enum DatasetLayout {
    /**
     * ZOD: {@code camera/frame_N.png}, pickles in {@code lidar/} (or {@code lidar_pickle/}), raw
     * 3848x2168.
     */
    ZOD("zod", 3848, 2168, LidarEncoding.ZOD_BASIC, "annotation_camera_only"),
    /**
     * Iseauto: {@code labeled/<cond>/camera/sqNN_N.png}, pickles in {@code pkl/}, raw 4240x2824.
     */
    ISEAUTO("iseauto", 4240, 2824, LidarEncoding.ISEAUTO, "annotation"),
    /**
     * Waymo (CLFT): {@code labeled/<day|night>/<rain|not_rain>/camera/...}, pickles in {@code
     * lidar/}.
     */
    WAYMO("waymo", 1920, 1280, LidarEncoding.WAYMO, "annotation"),
    /**
     * KITTI object benchmark: {@code image_2/N.png}, {@code velodyne/N.bin}, {@code calib/N.txt}.
     */
    KITTI("kitti", 0, 0, LidarEncoding.ZOD_BASIC, "label_2");

    private final String id;
    private final int rawWidth;
    private final int rawHeight;
    private final LidarEncoding defaultEncoding;
    private final String defaultAnnotationPath;

    DatasetLayout(
            String id, int rawWidth, int rawHeight, LidarEncoding encoding, String annotationPath) {
        this.id = id;
        this.rawWidth = rawWidth;
        this.rawHeight = rawHeight;
        this.defaultEncoding = encoding;
        this.defaultAnnotationPath = annotationPath;
    }

    /** Config name. */
    public String id() {
        return id;
    }

    /**
     * Width of the raw image the pickles' pixel coordinates refer to (0 for KITTI, which has none).
     */
    public int rawWidth() {
        return rawWidth;
    }

    /** Height of the raw image the pickles' pixel coordinates refer to. */
    public int rawHeight() {
        return rawHeight;
    }

    /** The LiDAR encoding the dataset's models were trained with. */
    public LidarEncoding defaultEncoding() {
        return defaultEncoding;
    }

    /**
     * Names of the annotation ids, indexed by id (clft-spec §1): ZOD background, ignore, vehicle,
     * sign, cyclist, pedestrian; Iseauto background, vehicle, human; Waymo (CLFT) ignore, vehicle,
     * pedestrian, sign, cyclist, background. Empty for KITTI, whose labels are boxes.
     */
    public List<String> annotationClasses() {
        return switch (this) {
            case ZOD -> List.of("background", "ignore", "vehicle", "sign", "cyclist", "pedestrian");
            case ISEAUTO -> List.of("background", "vehicle", "human");
            case WAYMO ->
                    List.of("ignore", "vehicle", "pedestrian", "sign", "cyclist", "background");
            case KITTI -> List.of();
        };
    }

    /** Name of annotation id {@code id}, or {@code id-N} when the layout has no such id. */
    public String annotationClass(int id) {
        List<String> names = annotationClasses();
        return id >= 0 && id < names.size() ? names.get(id) : "id-" + id;
    }

    /** The annotation folder the paper's configs use. */
    public String defaultAnnotationPath() {
        return defaultAnnotationPath;
    }

    /**
     * Resolves a split line into the frame's files. Annotation: every {@code camera} in the line
     * replaced by {@code annotationPath}; LiDAR PNG: {@code /camera} replaced by {@code
     * /lidar_png}; points: the layout's pickle (or KITTI {@code .bin}) folder. The replacements act
     * on the line, not on the root, so a root that contains "camera" is safe.
     *
     * @throws BadInputException with {@link BadInputReason#MALFORMED_SPLIT} for an unusable line
     */
    public DatasetFrame resolve(
            Path root, String line, String annotationPath, int index, String splitSource) {
        String rel = line.strip();
        if (rel.isEmpty() || rel.startsWith("/") || Arrays.asList(rel.split("/")).contains("..")) {
            throw malformedLine(
                    splitSource, index, line, "must be a relative path inside the dataset root");
        }
        Path camera = root.resolve(rel);
        String ann = annotationPath == null ? defaultAnnotationPath : annotationPath;
        String name = stem(rel);
        if (this == KITTI) {
            String dir = parentOf(parentOf(rel));
            Path base = dir.isEmpty() ? root : root.resolve(dir);
            return new DatasetFrame(
                    index,
                    rel,
                    camera,
                    existing(base.resolve(ann).resolve(name + ".txt")),
                    Optional.empty(),
                    Optional.of(base.resolve("velodyne").resolve(name + ".bin")),
                    existing(base.resolve("calib").resolve(name + ".txt")));
        }
        if (!("/" + rel).contains("/camera")) {
            throw malformedLine(
                    splitSource,
                    index,
                    line,
                    "has no 'camera' folder to derive the other paths from");
        }
        Path annotation = root.resolve(rel.replace("camera", ann));
        Path lidarPng = root.resolve(("/" + rel).replace("/camera", "/lidar_png").substring(1));
        String cameraDir = parentOf(rel);
        String condDir = parentOf(cameraDir);
        Path condBase = condDir.isEmpty() ? root : root.resolve(condDir);
        Path points =
                switch (this) {
                    case ZOD ->
                            firstExisting(
                                    condBase.resolve("lidar").resolve(name + ".pkl"),
                                    condBase.resolve("lidar_pickle").resolve(name + ".pkl"));
                    case ISEAUTO -> condBase.resolve("pkl").resolve(name + ".pkl");
                    default -> condBase.resolve("lidar").resolve(name + ".pkl");
                };
        return new DatasetFrame(
                index,
                rel,
                camera,
                existing(annotation),
                existing(lidarPng),
                Optional.of(points),
                Optional.empty());
    }

    /**
     * Looks a layout up by name.
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static DatasetLayout fromId(String id) {
        for (DatasetLayout l : values()) {
            if (l.id.equalsIgnoreCase(id) || ("xod".equalsIgnoreCase(id) && l == ISEAUTO)) {
                return l;
            }
        }
        throw new IllegalArgumentException(
                "unknown dataset layout '"
                        + id
                        + "'; valid: "
                        + Arrays.stream(values()).map(DatasetLayout::id).toList());
    }

    /** Guesses the layout from a split line. */
    public static DatasetLayout guess(String line) {
        String l = line.toLowerCase(Locale.ROOT);
        if (l.contains("image_2/")) {
            return KITTI;
        }
        if (l.contains("segment-")) {
            return WAYMO;
        }
        if (l.startsWith("labeled/")) {
            return ISEAUTO;
        }
        return ZOD;
    }

    private static BadInputException malformedLine(
            String splitSource, int index, String line, String problem) {
        return new BadInputException(
                BadInputReason.MALFORMED_SPLIT,
                splitSource,
                "line " + (index + 1) + " '" + line + "' " + problem);
    }

    private static Optional<Path> existing(Path p) {
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    private static Path firstExisting(Path a, Path b) {
        return Files.exists(a) || !Files.exists(b) ? a : b;
    }

    private static String stem(String rel) {
        String file = rel.substring(rel.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }

    private static String parentOf(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }
}

package dev.fusionnode.learning.store;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.training.SampleLoader;
import dev.fusionnode.training.TrainingSample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Annotated frames on disk in the ZOD layout ({@code camera/}, {@code lidar_png/}, {@code
 * annotation_camera_only/}, one {@code frame_<id>.png} each, plus {@code all.txt}, {@code
 * train.txt} and {@code validation.txt}), so the folder is a dataset that {@code train} reads.
 * Frames labelled by a teacher ({@link #addPseudo}) also have their teacher's confidence in {@code
 * pseudo_confidence/} (the mark that they are pseudo-labelled; pixels without a label are {@link
 * TrainingSample#IGNORE} in the annotation); they are never validation.
 *
 * <p><b>Crash safety.</b> Each file is written to a temporary name, synced and renamed; the
 * annotation is written last and is the commit mark, so a frame exists once {@link #add} has
 * returned and never half. On open the index is rebuilt from the committed files and leftovers of
 * an interrupted write are removed. <b>Bound.</b> When the store exceeds {@code maxBytes} the
 * oldest frames are evicted. Thread-safe (one writer at a time).
 */
public final class AnnotationStore {
    /** Folder of the camera images. */
    public static final String CAMERA = "camera";

    /** Folder of the CLFT LiDAR images. */
    public static final String LIDAR = "lidar_png";

    /** Folder of the annotations (dataset class ids). */
    public static final String ANNOTATION = "annotation_camera_only";

    /** Folder of the pseudo-label marks: the teacher's confidence per pixel. */
    public static final String PSEUDO = SampleLoader.PSEUDO_MARK_DIR;

    private static final Pattern NAME = Pattern.compile("frame_(\\d{9})\\.png");

    private final Path root;
    private final long maxBytes;
    private final TreeMap<Long, Long> frames = new TreeMap<>(); // id -> bytes
    private final Set<Long> pseudo = new HashSet<>();
    private long bytes;
    private long nextId;
    private long evicted;

    /** What the status reads, without the lock that adds hold while they encode and fsync. */
    private record Counts(int frames, long bytes, int pseudo, long evicted) {}

    private volatile Counts counts = new Counts(0, 0, 0, 0);

    private AnnotationStore(Path root, long maxBytes) {
        this.root = root;
        this.maxBytes = maxBytes;
    }

    /** Opens (or creates) the store at {@code root}, rebuilding its index from the files. */
    public static synchronized AnnotationStore open(Path root, long maxBytes) {
        AnnotationStore s = new AnnotationStore(root, maxBytes);
        try {
            createAndClean(root, List.of(CAMERA, LIDAR, ANNOTATION, PSEUDO));
            try (Stream<Path> anns = Files.list(root.resolve(ANNOTATION))) {
                for (Path a : anns.toList()) {
                    Matcher m = NAME.matcher(a.getFileName().toString());
                    if (!m.matches()) {
                        continue;
                    }
                    long id = Long.parseLong(m.group(1));
                    Path cam = s.file(CAMERA, id);
                    if (!Files.isRegularFile(cam)) {
                        Files.deleteIfExists(a); // cannot happen with our write order; be safe
                        continue;
                    }
                    long size = Files.size(a) + Files.size(cam);
                    Path li = s.file(LIDAR, id);
                    if (Files.isRegularFile(li)) {
                        size += Files.size(li);
                    }
                    Path mark = s.file(PSEUDO, id);
                    if (Files.isRegularFile(mark)) {
                        size += Files.size(mark);
                        s.pseudo.add(id);
                    }
                    s.frames.put(id, size);
                    s.bytes += size;
                    s.nextId = Math.max(s.nextId, id + 1);
                }
            }
            // camera or LiDAR files without a committed annotation: an add that did not finish
            s.nextId =
                    Math.max(
                            s.nextId,
                            removeUncommitted(
                                    root, List.of(CAMERA, LIDAR, PSEUDO), s.frames::containsKey));
            s.writeSplits();
            s.recount();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the annotation store " + root, e);
        }
        return s;
    }

    /**
     * Creates {@code dirs} under {@code root} and removes the temporary files of interrupted
     * writes.
     */
    static void createAndClean(Path root, List<String> dirs) throws IOException {
        for (String d : dirs) {
            Files.createDirectories(root.resolve(d));
            try (Stream<Path> files = Files.list(root.resolve(d))) {
                for (Path p : files.toList()) {
                    if (p.getFileName().toString().endsWith(".tmp")) {
                        Files.deleteIfExists(p); // an interrupted write
                    }
                }
            }
        }
    }

    /**
     * Removes the {@code frame_<id>.png} files in {@code dirs} whose id is not {@code committed}
     * (an add that died before its commit mark) and returns one past the largest id seen, so that
     * no id is reused.
     */
    static long removeUncommitted(Path root, List<String> dirs, LongPredicate committed)
            throws IOException {
        long next = 0;
        for (String d : dirs) {
            try (Stream<Path> files = Files.list(root.resolve(d))) {
                for (Path p : files.toList()) {
                    Matcher m = NAME.matcher(p.getFileName().toString());
                    if (m.matches()) {
                        long id = Long.parseLong(m.group(1));
                        next = Math.max(next, id + 1);
                        if (!committed.test(id)) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        }
        return next;
    }

    private Path file(String dir, long id) {
        return root.resolve(dir).resolve(String.format("frame_%09d.png", id));
    }

    /**
     * Stores one annotated frame and returns its id once it is durable.
     *
     * @param camera the camera image (3 channels)
     * @param lidar the CLFT LiDAR image at camera size (3 channels), if any
     * @param annotation dataset class ids (one channel) at camera size
     * @throws BadInputException when the images do not fit together
     */
    public synchronized long add(Image camera, Optional<Image> lidar, Image annotation) {
        return add(camera, lidar, annotation, Optional.empty());
    }

    /**
     * Stores one frame labelled by a teacher, marked as such, and returns its id once durable.
     *
     * @param annotation dataset class ids, {@link TrainingSample#IGNORE} where the teacher was not
     *     confident
     * @param confidence the teacher's confidence (top softmax probability x 255) at camera size
     * @throws BadInputException when the images do not fit together
     */
    public synchronized long addPseudo(
            Image camera, Optional<Image> lidar, Image annotation, Image confidence) {
        if (confidence.channels() != 1
                || confidence.width() != camera.width()
                || confidence.height() != camera.height()) {
            throw new BadInputException(
                    BadInputReason.INCONSISTENT_FRAME,
                    "pseudo-labelled frame",
                    "the confidence must be one channel of the camera's size");
        }
        return add(camera, lidar, annotation, Optional.of(confidence));
    }

    private long add(
            Image camera, Optional<Image> lidar, Image annotation, Optional<Image> confidence) {
        checkFrame(camera, lidar, annotation);
        long id = nextId++;
        try {
            long size = write(file(CAMERA, id), ImageCodec.encodePng(camera));
            if (lidar.isPresent()) {
                size += write(file(LIDAR, id), ImageCodec.encodePng(lidar.get()));
            }
            if (confidence.isPresent()) {
                size += write(file(PSEUDO, id), ImageCodec.encodePng(confidence.get()));
            }
            size += write(file(ANNOTATION, id), ImageCodec.encodePng(annotation)); // commit
            if (confidence.isPresent()) {
                pseudo.add(id);
            }
            frames.put(id, size);
            bytes += size;
            while (bytes > maxBytes && frames.size() > 1) {
                evict(frames.firstKey());
            }
            recount();
        } catch (IOException e) {
            removeQuietly(id); // nothing of a frame that was not stored whole stays
            throw new UncheckedIOException(
                    "cannot store annotated frame " + id + " in " + root + ": " + e.getMessage(),
                    e);
        }
        return id;
    }

    /**
     * Checks that the images of a frame fit together: a 3-channel camera image, a one-channel
     * annotation of its size, and the LiDAR image, if any, 3 channels of its size.
     *
     * @throws BadInputException naming the mismatch
     */
    public static void checkFrame(Image camera, Optional<Image> lidar, Image annotation) {
        String where = "annotated frame";
        if (camera.channels() != 3) {
            throw new BadInputException(
                    BadInputReason.CORRUPT_IMAGE,
                    where,
                    "camera must have 3 channels, found " + camera.channels());
        }
        if (annotation.channels() != 1) {
            throw new BadInputException(
                    BadInputReason.CORRUPT_IMAGE,
                    where,
                    "annotation must have one channel of class ids, found "
                            + annotation.channels());
        }
        if (annotation.width() != camera.width() || annotation.height() != camera.height()) {
            throw new BadInputException(
                    BadInputReason.INCONSISTENT_FRAME,
                    where,
                    "annotation is "
                            + annotation.width()
                            + "x"
                            + annotation.height()
                            + " but the camera image is "
                            + camera.width()
                            + "x"
                            + camera.height());
        }
        if (lidar.isPresent()
                && (lidar.get().channels() != 3
                        || lidar.get().width() != camera.width()
                        || lidar.get().height() != camera.height())) {
            throw new BadInputException(
                    BadInputReason.INCONSISTENT_FRAME,
                    where,
                    "the LiDAR image must be a 3-channel image of the camera's size");
        }
    }

    private void removeQuietly(long id) {
        for (String dir : new String[] {ANNOTATION, CAMERA, LIDAR, PSEUDO}) {
            Path f = file(dir, id);
            try {
                Files.deleteIfExists(f);
                Files.deleteIfExists(f.resolveSibling(f.getFileName() + ".tmp"));
            } catch (IOException ignored) {
                // rebuilt on the next start: files without their annotation are removed
            }
        }
    }

    private void evict(long id) throws IOException {
        Files.deleteIfExists(file(ANNOTATION, id)); // uncommit first
        Files.deleteIfExists(file(CAMERA, id));
        Files.deleteIfExists(file(LIDAR, id));
        Files.deleteIfExists(file(PSEUDO, id));
        pseudo.remove(id);
        bytes -= frames.remove(id);
        evicted++;
    }

    /** Writes {@code data} to a temporary file, syncs it and renames it to {@code file}. */
    static long write(Path file, byte[] data) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch =
                FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return data.length;
    }

    /**
     * Writes {@code all.txt}, {@code train.txt} and {@code validation.txt} for the frames stored
     * now (every fifth human-labelled frame is validation; pseudo-labelled frames are always
     * training) and returns the number of frames.
     */
    public synchronized int writeSplits() {
        List<String> all = new ArrayList<>();
        List<String> train = new ArrayList<>();
        List<String> val = new ArrayList<>();
        int human = 0;
        for (long id : frames.keySet()) {
            String line = CAMERA + "/" + String.format("frame_%09d.png", id);
            all.add(line);
            boolean validation = !pseudo.contains(id) && human++ % 5 == 4;
            (validation ? val : train).add(line);
        }
        if (val.isEmpty() && train.size() > 1) {
            val.add(train.remove(train.size() - 1));
        }
        try {
            writeLines("all.txt", all);
            writeLines("train.txt", train);
            writeLines("validation.txt", val);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the split files of " + root, e);
        }
        return all.size();
    }

    private void writeLines(String name, List<String> lines) throws IOException {
        byte[] data =
                (String.join("\n", lines) + (lines.isEmpty() ? "" : "\n"))
                        .getBytes(StandardCharsets.UTF_8);
        write(root.resolve(name), data);
    }

    /** The store's folder. */
    public Path root() {
        return root;
    }

    /** Frames stored (never waits for an add in progress). */
    public int size() {
        return counts.frames();
    }

    /** Bytes stored (never waits for an add in progress). */
    public long bytes() {
        return counts.bytes();
    }

    /** Pseudo-labelled frames stored (never waits for an add in progress). */
    public int pseudoLabelled() {
        return counts.pseudo();
    }

    /** Whether frame {@code id} is pseudo-labelled. */
    public synchronized boolean isPseudo(long id) {
        return pseudo.contains(id);
    }

    /** Frames evicted since opening (never waits for an add in progress). */
    public long evicted() {
        return counts.evicted();
    }

    /** Publishes the counts; called under the lock after every change. */
    private void recount() {
        counts = new Counts(frames.size(), bytes, pseudo.size(), evicted);
    }

    /** The ids stored, oldest first. */
    public synchronized List<Long> ids() {
        return List.copyOf(frames.keySet());
    }
}

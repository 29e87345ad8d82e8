package dev.fusionnode.learning.store;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Image;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Frames kept without a label, in the ZOD layout ({@code camera/}, {@code lidar_png/}) with a
 * {@code meta/frame_<id>.json} each that says why it was kept: {@code hard} (an unfamiliar frame,
 * for a person to annotate) or {@code sampled} (for the teacher to label). The meta file is written
 * last and is the commit mark, as the annotation is in the {@link AnnotationStore}; the index is
 * rebuilt on open; beyond {@code maxBytes} the oldest frames go. A source frame is kept once per
 * model version: a frame whose camera, model version and image (SHA-256 of its pixels) match one
 * kept before, such as the same frame of a drive replayed in a loop, is not kept again.
 * Thread-safe.
 */
public final class UnlabelledStore {
    /** Reason of a frame kept because the model found it unfamiliar. */
    public static final String HARD = "hard";

    /** Reason of a frame kept for the teacher. */
    public static final String SAMPLED = "sampled";

    private static final String META = "meta";
    private static final Pattern NAME = Pattern.compile("frame_(\\d{9})\\.json");

    /**
     * Keys of frames removed (labelled or evicted) that are still remembered, at most this many.
     */
    static final int REMEMBERED_REMOVED = 10_000;

    /**
     * One kept frame.
     *
     * @param id its id
     * @param camera the camera PNG
     * @param lidar the CLFT LiDAR PNG, when the frame had one
     * @param meta why and when it was kept (reason, camera, seq, captureTimeNs, unfamiliarity)
     * @param bytes its size on disk
     */
    public record Entry(long id, Path camera, Optional<Path> lidar, JsonObject meta, long bytes) {
        /** {@link #HARD} or {@link #SAMPLED}. */
        public String reason() {
            return meta.getString("reason", SAMPLED);
        }

        /** The kept camera image, read from disk (RGB). */
        public Image cameraImage() {
            return ImageCodec.read(camera, ImageCodec.Channels.RGB);
        }

        /** The kept CLFT LiDAR image, read from disk (3 channels), when the frame had one. */
        public Optional<Image> lidarImage() {
            return lidar.map(p -> ImageCodec.read(p, ImageCodec.Channels.RGB));
        }
    }

    private final Path root;
    private final long maxBytes;
    private final TreeMap<Long, Entry> frames = new TreeMap<>();
    private long bytes;
    private long nextId;
    private long evicted;

    /** What the status reads, without the lock that adds hold while they encode and fsync. */
    private record Counts(int frames, Map<String, Integer> byReason, long bytes, long evicted) {}

    private volatile Counts counts = new Counts(0, Map.of(), 0, 0);
    private final Set<String> keys = new HashSet<>();
    private final LinkedHashSet<String> removedKeys = new LinkedHashSet<>();

    private UnlabelledStore(Path root, long maxBytes) {
        this.root = root;
        this.maxBytes = maxBytes;
    }

    /** Opens (or creates) the store at {@code root}, rebuilding its index from the files. */
    public static UnlabelledStore open(Path root, long maxBytes) {
        UnlabelledStore s = new UnlabelledStore(root, maxBytes);
        try {
            AnnotationStore.createAndClean(
                    root, List.of(AnnotationStore.CAMERA, AnnotationStore.LIDAR, META));
            try (Stream<Path> metas = Files.list(root.resolve(META))) {
                for (Path m : metas.sorted().toList()) {
                    Matcher mm = NAME.matcher(m.getFileName().toString());
                    if (!mm.matches()) {
                        continue;
                    }
                    long id = Long.parseLong(mm.group(1));
                    Path cam = s.png(AnnotationStore.CAMERA, id);
                    if (!Files.isRegularFile(cam)) {
                        Files.deleteIfExists(m);
                        continue;
                    }
                    JsonObject meta;
                    try {
                        meta = new JsonObject(Files.readString(m));
                    } catch (RuntimeException e) {
                        meta = new JsonObject().put("reason", SAMPLED);
                    }
                    Path li = s.png(AnnotationStore.LIDAR, id);
                    long size = Files.size(m) + Files.size(cam);
                    Optional<Path> lidar = Optional.empty();
                    if (Files.isRegularFile(li)) {
                        size += Files.size(li);
                        lidar = Optional.of(li);
                    }
                    s.frames.put(id, new Entry(id, cam, lidar, meta, size));
                    if (meta.getString(KEY) != null) {
                        s.keys.add(meta.getString(KEY));
                    }
                    s.bytes += size;
                    s.nextId = Math.max(s.nextId, id + 1);
                }
            }
            s.nextId =
                    Math.max(
                            s.nextId,
                            AnnotationStore.removeUncommitted(
                                    root,
                                    List.of(AnnotationStore.CAMERA, AnnotationStore.LIDAR),
                                    s.frames::containsKey));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the unlabelled-frame store " + root, e);
        }
        synchronized (s) {
            s.recount();
        }
        return s;
    }

    private Path png(String dir, long id) {
        return root.resolve(dir).resolve(String.format("frame_%09d.png", id));
    }

    private Path metaFile(long id) {
        return root.resolve(META).resolve(String.format("frame_%09d.json", id));
    }

    /**
     * Keeps a frame and returns its id once durable, or empty when the same source frame was kept
     * before for the same model version.
     *
     * @param camera the camera image (3 channels)
     * @param lidar the CLFT LiDAR image at camera size, if any
     * @param meta why it was kept ({@code reason}) and what it is ({@code camera}, {@code
     *     modelVersion}, ...); the id and the frame's key are added
     */
    public Optional<Long> addIfNew(Image camera, Optional<Image> lidar, JsonObject meta) {
        String key = key(camera, meta);
        synchronized (this) {
            if (keys.contains(key) || removedKeys.contains(key)) {
                return Optional.empty();
            }
            return Optional.of(add(camera, lidar, meta.copy().put(KEY, key)));
        }
    }

    /** The meta field holding a frame's key: camera, model version and pixel digest. */
    static final String KEY = "key";

    private static String key(Image camera, JsonObject meta) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        sha.update(camera.pixels());
        return meta.getString("camera", "")
                + "/"
                + meta.getString("modelVersion", "")
                + "/"
                + camera.width()
                + "x"
                + camera.height()
                + "/"
                + HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Keeps a frame and returns its id once durable.
     *
     * @param camera the camera image (3 channels)
     * @param lidar the CLFT LiDAR image at camera size, if any
     * @param meta why it was kept ({@code reason}) and what it is; the id is added
     */
    public synchronized long add(Image camera, Optional<Image> lidar, JsonObject meta) {
        long id = nextId++;
        JsonObject m = meta.copy().put("id", id);
        try {
            Path cam = png(AnnotationStore.CAMERA, id);
            long size = AnnotationStore.write(cam, ImageCodec.encodePng(camera));
            Optional<Path> li = Optional.empty();
            if (lidar.isPresent()) {
                li = Optional.of(png(AnnotationStore.LIDAR, id));
                size += AnnotationStore.write(li.get(), ImageCodec.encodePng(lidar.get()));
            }
            size +=
                    AnnotationStore.write(
                            metaFile(id), m.encodePrettily().getBytes(StandardCharsets.UTF_8));
            frames.put(id, new Entry(id, cam, li, m, size));
            if (m.getString(KEY) != null) {
                keys.add(m.getString(KEY));
            }
            bytes += size;
            while (bytes > maxBytes && frames.size() > 1) {
                evicted++;
                remove(frames.firstKey());
            }
            recount();
        } catch (IOException e) {
            deleteQuietly(id);
            throw new UncheckedIOException(
                    "cannot keep frame " + id + " in " + root + ": " + e.getMessage(), e);
        }
        return id;
    }

    /** Removes a frame (labelled by now, or evicted); false if it was not there. */
    public synchronized boolean remove(long id) {
        Entry e = frames.remove(id);
        if (e == null) {
            return false;
        }
        String key = e.meta().getString(KEY);
        if (key != null && keys.remove(key)) {
            removedKeys.add(key);
            if (removedKeys.size() > REMEMBERED_REMOVED) {
                removedKeys.remove(removedKeys.iterator().next());
            }
        }
        bytes -= e.bytes();
        deleteQuietly(id);
        recount();
        return true;
    }

    private void deleteQuietly(long id) {
        for (Path p :
                List.of(
                        metaFile(id),
                        png(AnnotationStore.CAMERA, id),
                        png(AnnotationStore.LIDAR, id))) {
            try {
                Files.deleteIfExists(p); // the meta (commit mark) first
            } catch (IOException ignored) {
                // files without their meta are removed on the next open
            }
        }
    }

    /** The oldest frame kept for {@code reason}. */
    public synchronized Optional<Entry> oldest(String reason) {
        return frames.values().stream().filter(e -> e.reason().equals(reason)).findFirst();
    }

    /** A frame by id. */
    public synchronized Optional<Entry> find(long id) {
        return Optional.ofNullable(frames.get(id));
    }

    /** Every kept frame, oldest first. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(frames.values());
    }

    /** Frames kept. */
    public int size() {
        return counts.frames();
    }

    /** Frames kept for {@code reason}. */
    public int size(String reason) {
        return counts.byReason().getOrDefault(reason, 0);
    }

    /** Bytes kept. */
    public long bytes() {
        return counts.bytes();
    }

    /** Frames evicted since opening. */
    public long evicted() {
        return counts.evicted();
    }

    /** Publishes the counts; called under the lock after every change. */
    private void recount() {
        Map<String, Integer> byReason = new HashMap<>();
        for (Entry e : frames.values()) {
            byReason.merge(e.reason(), 1, Integer::sum);
        }
        counts = new Counts(frames.size(), Map.copyOf(byReason), bytes, evicted);
    }

    /** The store's folder. */
    public Path root() {
        return root;
    }
}

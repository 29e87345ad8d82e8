package dev.fusionnode.pipeline;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Named counters per camera for a stage's status section, bounded: at most {@link #MAX_CAMERAS}
 * cameras are listed (a made-up camera id cannot grow the table). Thread-safe.
 */
public final class PerCameraCounts {
    /** Cameras a per-camera table of the node holds at most. */
    public static final int MAX_CAMERAS = 64;

    private final List<String> names;
    private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();

    /** Counters called {@code names}, each camera's starting at 0. */
    public PerCameraCounts(String... names) {
        this.names = List.of(names);
    }

    /**
     * Counts one for {@code camera}'s counter {@code names[counter]} (unless the table is full).
     */
    public void add(String camera, int counter) {
        AtomicLongArray a = counts.get(camera);
        if (a == null) {
            if (counts.size() >= MAX_CAMERAS) {
                return;
            }
            a = counts.computeIfAbsent(camera, c -> new AtomicLongArray(names.size()));
        }
        a.incrementAndGet(counter);
    }

    /** Camera to its counters by name, cameras sorted. */
    public JsonObject json() {
        JsonObject out = new JsonObject();
        new TreeMap<>(counts)
                .forEach(
                        (camera, a) -> {
                            JsonObject c = new JsonObject();
                            for (int i = 0; i < names.size(); i++) {
                                c.put(names.get(i), a.get(i));
                            }
                            out.put(camera, c);
                        });
        return out;
    }

    /** Camera to the value of one counter, cameras sorted. */
    public JsonObject json(String counter) {
        int i = names.indexOf(counter);
        JsonObject out = new JsonObject();
        new TreeMap<>(counts).forEach((camera, a) -> out.put(camera, a.get(i)));
        return out;
    }
}

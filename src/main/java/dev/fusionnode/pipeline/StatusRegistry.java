package dev.fusionnode.pipeline;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * Where stages publish their live state for {@code GET /api/status}: each registers a section
 * supplier (sources, rates, queue depths, drops). Thread-safe.
 */
public final class StatusRegistry {
    private final Map<String, Supplier<JsonObject>> sections = new ConcurrentSkipListMap<>();

    /** Registers (or replaces) a section. */
    public void register(String section, Supplier<JsonObject> supplier) {
        sections.put(section, supplier);
    }

    /** A snapshot of all sections. */
    public JsonObject snapshot() {
        JsonObject out = new JsonObject();
        sections.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}

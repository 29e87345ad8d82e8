package dev.fusionnode.learning;

import dev.fusionnode.training.TrainingRun;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The model versions kept by the node ({@code <dir>/<version>.pth} and {@code registry.json}),
 * written crash-safely: a checkpoint is complete before the registry names it. One of them is in
 * service; the others are candidates (a fine-tune that did not beat the serving model) or earlier
 * versions to roll back to. Thread-safe.
 */
public final class ModelRegistry {
    /**
     * One kept version.
     *
     * @param version name (also in every mask's metadata)
     * @param checkpoint its weights
     * @param source how it was made
     * @param validationMiou its mIoU on its fine-tune's validation split (NaN if never measured)
     * @param created when it was registered
     */
    public record Entry(
            String version, Path checkpoint, String source, double validationMiou, String created) {
        JsonObject toJson() {
            return new JsonObject()
                    .put("version", version)
                    .put("checkpoint", checkpoint.toString())
                    .put("source", source)
                    .put("validationMiou", Double.isNaN(validationMiou) ? null : validationMiou)
                    .put("created", created);
        }
    }

    private final Path dir;
    private final List<Entry> entries = new ArrayList<>();
    private String serving;
    private String servingReason;
    private String servingSince;
    private String configured;

    private ModelRegistry(Path dir) {
        this.dir = dir;
    }

    /** Opens the registry in {@code dir}, keeping the entries whose checkpoint exists. */
    public static ModelRegistry open(Path dir) {
        ModelRegistry r = new ModelRegistry(dir);
        Path index = dir.resolve("registry.json");
        try {
            Files.createDirectories(dir);
            if (Files.isRegularFile(index)) {
                JsonObject json = new JsonObject(Files.readString(index));
                for (Object o : json.getJsonArray("versions", new JsonArray())) {
                    JsonObject e = (JsonObject) o;
                    Path ckpt = Path.of(e.getString("checkpoint"));
                    if (Files.isRegularFile(ckpt)) {
                        Double miou = e.getDouble("validationMiou");
                        r.entries.add(
                                new Entry(
                                        e.getString("version"),
                                        ckpt,
                                        e.getString("source"),
                                        miou == null ? Double.NaN : miou,
                                        e.getString("created")));
                    }
                }
                r.serving = json.getString("serving");
                r.servingReason = json.getString("servingReason");
                r.servingSince = json.getString("servingSince");
                r.configured = json.getString("configured");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the model registry " + dir, e);
        }
        return r;
    }

    /**
     * Registers a version whose weights are in {@code checkpoint} (moved into the registry).
     *
     * @return the entry
     */
    public synchronized Entry register(
            String version, Path checkpoint, String source, double validationMiou) {
        Path target = dir.resolve(version + ".pth");
        try {
            Files.createDirectories(dir);
            if (!checkpoint.equals(target)) {
                Files.copy(
                        checkpoint,
                        target.resolveSibling(target.getFileName() + ".tmp"),
                        StandardCopyOption.REPLACE_EXISTING);
                TrainingRun.fsyncAndRename(
                        target.resolveSibling(target.getFileName() + ".tmp"), target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register model " + version, e);
        }
        entries.removeIf(e -> e.version().equals(version));
        Entry e = new Entry(version, target, source, validationMiou, Instant.now().toString());
        entries.add(e);
        save();
        return e;
    }

    /**
     * Records which version is in service from now on, and why ({@code activated through the API},
     * {@code promoted by fine-tune ...}).
     */
    public synchronized void serving(String version, String reason) {
        serving = version;
        servingReason = reason;
        servingSince = Instant.now().toString();
        save();
    }

    /** Why the version in service was put there, if recorded. */
    public synchronized Optional<String> servingReason() {
        return Optional.ofNullable(servingReason);
    }

    /** When the version in service was put there (ISO-8601), if recorded. */
    public synchronized Optional<String> servingSince() {
        return Optional.ofNullable(servingSince);
    }

    /** The version in service, if recorded. */
    public synchronized Optional<String> serving() {
        return Optional.ofNullable(serving);
    }

    /**
     * Records the version of the model the node's configuration names, so that a restart with the
     * same configuration can put back what was activated since, while a changed configuration wins.
     */
    public synchronized void configured(String version) {
        configured = version;
        save();
    }

    /** The configured version recorded by the last start, if any. */
    public synchronized Optional<String> configured() {
        return Optional.ofNullable(configured);
    }

    /** A version by name. */
    public synchronized Optional<Entry> find(String version) {
        return entries.stream().filter(e -> e.version().equals(version)).findFirst();
    }

    /** All versions, oldest first. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /**
     * Forgets the oldest versions beyond {@code keep} and deletes their files (the checkpoint and a
     * specialist's {@code <version>.json}); the version in service and the configured one are
     * always kept.
     *
     * @return the versions removed, oldest first
     */
    public synchronized List<Entry> prune(int keep) {
        List<Entry> removed = new ArrayList<>();
        int excess = entries.size() - keep;
        for (Entry e : List.copyOf(entries)) {
            if (excess <= 0) {
                break;
            }
            if (e.version().equals(serving) || e.version().equals(configured)) {
                continue;
            }
            entries.remove(e);
            removed.add(e);
            excess--;
        }
        if (removed.isEmpty()) {
            return removed;
        }
        save();
        for (Entry e : removed) {
            deleteInside(e.checkpoint());
            deleteInside(dir.resolve(e.version() + ".json"));
        }
        return removed;
    }

    /**
     * Deletes a file of the registry's folder (never one elsewhere, such as a configured model).
     */
    private void deleteInside(Path file) {
        Path f = file.toAbsolutePath().normalize();
        if (!f.getParent().equals(dir.toAbsolutePath().normalize())) {
            return;
        }
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the pruned version's file " + f, e);
        }
    }

    private void save() {
        JsonArray list = new JsonArray();
        entries.forEach(e -> list.add(e.toJson()));
        TrainingRun.writeJson(
                dir.resolve("registry.json"),
                new JsonObject()
                        .put("serving", serving)
                        .put("servingReason", servingReason)
                        .put("servingSince", servingSince)
                        .put("configured", configured)
                        .put("versions", list));
    }
}

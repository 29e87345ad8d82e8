package dev.fusionnode.learning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fine-tune runs' work folders ({@code <workDir>/<job id>/}), bounded: a finished run keeps its
 * logs but not its checkpoints (the best one was copied into the model registry), and at most
 * {@code keep} runs are kept, the oldest deleted first. Not thread-safe: the fine-tune runner's
 * thread uses it.
 */
final class WorkFolders {
    private final Path root;
    private final int keep;

    WorkFolders(Path root, int keep) {
        this.root = root;
        this.keep = keep;
    }

    /** The work folder of a job. */
    Path of(String jobId) {
        return root.resolve(jobId);
    }

    /**
     * A job has ended: its checkpoints go, then the oldest folders beyond the bound.
     *
     * @return the folders deleted
     */
    List<Path> finished(String jobId) {
        deleteTree(of(jobId).resolve("logs").resolve("checkpoints"));
        return prune();
    }

    /**
     * Deletes the oldest run folders (by modification time) beyond the bound.
     *
     * @return the folders deleted
     */
    List<Path> prune() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> runs;
        try (Stream<Path> s = Files.list(root)) {
            runs =
                    new ArrayList<>(
                            s.filter(Files::isDirectory)
                                    .sorted(Comparator.comparing(WorkFolders::modified))
                                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the fine-tune work folder " + root, e);
        }
        List<Path> deleted = new ArrayList<>();
        for (int i = 0; i < runs.size() - keep; i++) {
            deleteTree(runs.get(i));
            deleted.add(runs.get(i));
        }
        return deleted;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

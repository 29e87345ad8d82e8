package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A finished run keeps its logs, not its checkpoints, and only the newest runs are kept. */
class WorkFoldersTest {
    @TempDir Path root;

    private Path run(WorkFolders w, String id, long modifiedMs) throws Exception {
        Path logs = w.of(id).resolve("logs");
        Files.createDirectories(logs.resolve("checkpoints"));
        Files.writeString(logs.resolve("checkpoints").resolve("epoch_1_x.pth"), "weights");
        Files.writeString(logs.resolve("training.json"), "{}");
        Files.setLastModifiedTime(w.of(id), FileTime.fromMillis(modifiedMs));
        return w.of(id);
    }

    @Test
    void aFinishedRunLosesItsCheckpointsAndTheOldestRunsGo() throws Exception {
        WorkFolders w = new WorkFolders(root, 3);
        for (int i = 1; i <= 5; i++) {
            run(w, "ft" + i, 1_000_000L * i);
        }
        Path last = run(w, "ft6", 9_000_000L);
        assertThat(w.finished("ft6")).containsExactly(w.of("ft1"), w.of("ft2"), w.of("ft3"));
        assertThat(last.resolve("logs/checkpoints")).doesNotExist();
        assertThat(last.resolve("logs/training.json")).exists();
        try (var runs = Files.list(root)) {
            assertThat(runs.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("ft4", "ft5", "ft6");
        }
    }

    @Test
    void noFolderYetIsNothingToDo() {
        assertThat(new WorkFolders(root.resolve("absent"), 1).prune()).isEmpty();
    }
}

package dev.fusionnode.training;

import dev.fusionnode.io.DatasetFrame;
import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.io.SplitFile;
import dev.fusionnode.model.config.PaperConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The frames of a paper config's splits: train, validation, and the per-condition test files. */
public final class DatasetSplits {
    /** The paper's test files, in its order (clft-spec §5.2). */
    public static final List<String> CONDITIONS =
            List.of("day_fair", "night_fair", "day_rain", "night_rain", "snow");

    private DatasetSplits() {}

    /** The frames listed in {@code split}, resolved against {@code root}. */
    public static List<DatasetFrame> read(PaperConfig config, Path root, Path split) {
        DatasetLayout layout = DatasetLayout.fromId(config.dataset().name());
        List<String> lines = SplitFile.read(split);
        List<DatasetFrame> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            out.add(
                    layout.resolve(
                            root,
                            lines.get(i),
                            config.dataset().annotationPath(),
                            i,
                            split.toString()));
        }
        return out;
    }

    /**
     * The test splits present in {@code dir} ({@code test_<condition>.txt}); missing or empty files
     * are skipped, as the paper's test script does.
     */
    public static Map<String, List<DatasetFrame>> tests(PaperConfig config, Path root, Path dir) {
        Map<String, List<DatasetFrame>> out = new LinkedHashMap<>();
        for (String c : CONDITIONS) {
            Path f = dir.resolve("test_" + c + ".txt");
            if (Files.isRegularFile(f)) {
                List<DatasetFrame> frames = read(config, root, f);
                if (!frames.isEmpty()) {
                    out.put(c, frames);
                }
            }
        }
        return out;
    }
}

package dev.fusionnode.io;

import dev.fusionnode.pipeline.BadInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CLFT split file: one camera path per line, relative to the dataset root; blank and {@code #}
 * lines skipped.
 */
public final class SplitFile {
    private SplitFile() {}

    /**
     * Reads the lines of a split.
     *
     * @throws BadInputException when the file is missing
     */
    public static List<String> read(Path file) {
        String text = new String(Files2.readAll(file), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\\R")) {
            String s = l.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                lines.add(s);
            }
        }
        return lines;
    }
}

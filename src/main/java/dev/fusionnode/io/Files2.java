package dev.fusionnode.io;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** File helpers that turn I/O failures into {@link BadInputException}s naming the file. */
public final class Files2 {
    private Files2() {}

    /**
     * Reads a whole file.
     *
     * @throws BadInputException with {@link BadInputReason#MISSING_FILE} when it is absent or
     *     unreadable
     */
    public static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(BadInputReason.MISSING_FILE, file, "file not found");
        } catch (IOException e) {
            throw new BadInputException(
                    BadInputReason.MISSING_FILE, file, "cannot read file: " + e.getMessage(), e);
        }
    }

    /** Returns the lower-case extension without the dot, or an empty string. */
    public static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}

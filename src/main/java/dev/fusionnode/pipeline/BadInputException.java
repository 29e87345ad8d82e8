package dev.fusionnode.pipeline;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Input that the node cannot use: a file that is truncated, corrupt, malformed or missing. The
 * message names the file and the problem; {@link #reason()} is the metric tag. This is never the
 * node's own fault.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final BadInputReason reason;
    private final String source;

    /** Creates the exception for {@code source} (a file path or a stream name). */
    public BadInputException(BadInputReason reason, String source, String problem) {
        this(reason, source, problem, null);
    }

    /** Creates the exception with a cause. */
    public BadInputException(
            BadInputReason reason, String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.source = source;
    }

    /** Creates the exception for a file. */
    public BadInputException(BadInputReason reason, Path file, String problem) {
        this(reason, String.valueOf(file), problem, null);
    }

    /** Creates the exception for a file with a cause. */
    public BadInputException(BadInputReason reason, Path file, String problem, Throwable cause) {
        this(reason, String.valueOf(file), problem, cause);
    }

    /** Why the input was rejected. */
    public BadInputReason reason() {
        return reason;
    }

    /** The file or stream the input came from. */
    public String source() {
        return source;
    }
}

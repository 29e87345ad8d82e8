package dev.fusionnode.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Writes one line per skipped test (its class, method and the reason, such as a missing {@link
 * Peer}) to {@code target/skipped-tests.txt}, which the build prints to the console after the
 * tests. Registered through {@code META-INF/services}.
 */
public final class SkippedTestsListener implements TestExecutionListener {
    /** The file the lines go to, relative to the project folder. */
    public static final Path FILE = Path.of("target", "skipped-tests.txt");

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        write(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            write(
                    test,
                    result.getThrowable()
                            .map(Throwable::getMessage)
                            .map(m -> m.replaceFirst("^Assumption failed: ", ""))
                            .orElse("aborted"));
        }
    }

    private static synchronized void write(TestIdentifier test, String reason) {
        String name =
                test.getSource()
                        .filter(MethodSource.class::isInstance)
                        .map(MethodSource.class::cast)
                        .map(m -> simple(m.getClassName()) + "." + m.getMethodName())
                        .orElse(test.getDisplayName());
        String line = "skipped " + name + ": " + reason + System.lineSeparator();
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(
                    FILE,
                    line,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.print(line);
        }
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}

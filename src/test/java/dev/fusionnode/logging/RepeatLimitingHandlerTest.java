package dev.fusionnode.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * A flood of one warning reaches the log as a burst and one line with the count; other lines and
 * other warnings are untouched.
 */
class RepeatLimitingHandlerTest {
    private static final class Captured extends Handler {
        final List<LogRecord> records = new ArrayList<>();

        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        List<String> messages() {
            return records.stream().map(LogRecord::getMessage).toList();
        }
    }

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Captured out = new Captured();
    private final RepeatLimitingHandler handler =
            new RepeatLimitingHandler(out, new RepeatLimiter(5, 60_000, 512), now::get);

    private static LogRecord record(Level level, String message, Object... params) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("dev.fusionnode.replay.ReplayVerticle");
        r.setParameters(params);
        return r;
    }

    @Test
    void aFloodOfOneWarningIsABurstAndACount() {
        long before = RepeatLimitingHandler.suppressedTotal();
        for (int i = 0; i < 49_265; i++) {
            handler.publish(record(Level.WARNING, "file not found: {0}", "drive/000001.png"));
            now.addAndGet(i % 10 == 0 ? 1 : 0);
        }
        assertThat(out.records).hasSize(5);
        assertThat(RepeatLimitingHandler.suppressedTotal() - before).isEqualTo(49_260);
        // once the window has passed, any line reports the count held back
        now.addAndGet(60_000);
        handler.publish(record(Level.INFO, "frame 1 done"));
        assertThat(out.messages())
                .element(5)
                .asString()
                .isEqualTo(
                        "repeated 49260 more times within 60 s, not logged: file not found:"
                                + " drive/000001.png");
        assertThat(out.records.get(5).getLevel()).isEqualTo(Level.WARNING);
        assertThat(out.records.get(5).getLoggerName())
                .isEqualTo("dev.fusionnode.replay.ReplayVerticle");
        assertThat(out.messages()).element(6).asString().isEqualTo("frame 1 done");
    }

    @Test
    void otherTextsOtherLevelsAndInfoLinesPass() {
        for (int i = 0; i < 20; i++) {
            handler.publish(record(Level.WARNING, "file not found: {0}", "f" + i));
            handler.publish(record(Level.INFO, "frame done"));
        }
        handler.publish(record(Level.SEVERE, "file not found: {0}", "f1"));
        assertThat(out.records).hasSize(41);
    }

    @Test
    void theSameTextWithAnotherExceptionIsAnotherLine() {
        for (int i = 0; i < 10; i++) {
            LogRecord a = record(Level.WARNING, "write failed");
            a.setThrown(new IOException("disk full"));
            LogRecord b = record(Level.WARNING, "write failed");
            b.setThrown(new IOException("permission denied"));
            handler.publish(a);
            handler.publish(b);
        }
        assertThat(out.records).hasSize(10);
    }

    @Test
    void countsStillHeldBackAreLoggedOnClose() {
        for (int i = 0; i < 8; i++) {
            handler.publish(record(Level.WARNING, "pushed sensor message refused"));
        }
        handler.close();
        assertThat(out.messages())
                .last()
                .asString()
                .startsWith("repeated 3 more times within 60 s");
    }
}

package dev.fusionnode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.logging.RepeatLimitingHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A client that closes its MQTT connection abruptly is a normal disconnect, not a SEVERE error with
 * a stack trace; other broker errors still reach the log.
 */
class LoggingTest {
    private static LogRecord severe(Throwable thrown) {
        LogRecord r =
                new LogRecord(
                        Level.SEVERE,
                        "Unexpected exception while processing MQTT message. Closing Netty channel.");
        r.setThrown(thrown);
        return r;
    }

    @Test
    void aPeerThatHungUpIsNotAnError() {
        assertThat(Logging.peerClosed(severe(new IOException("Broken pipe")))).isTrue();
        assertThat(
                        Logging.peerClosed(
                                severe(
                                        new RuntimeException(
                                                new IOException("Connection reset by peer")))))
                .isTrue();
        assertThat(Logging.peerClosed(severe(new IOException("No space left on device"))))
                .isFalse();
        assertThat(Logging.peerClosed(severe(new IllegalStateException("Broken pipe")))).isFalse();
        assertThat(Logging.peerClosed(severe(null))).isFalse();
    }

    @Test
    void theNodeLogLimitsRepeatedWarnings() {
        List<LogRecord> out = new ArrayList<>();
        Handler captured =
                new Handler() {
                    @Override
                    public void publish(LogRecord r) {
                        out.add(r);
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        Logger root = Logger.getAnonymousLogger();
        root.setUseParentHandlers(false);
        root.addHandler(captured);
        Logging.limitRepeats(root);
        Logging.limitRepeats(root);
        assertThat(root.getHandlers()).singleElement().isInstanceOf(RepeatLimitingHandler.class);
        for (int i = 0; i < 100; i++) {
            root.warning("no frame of the drive could be read");
        }
        assertThat(out).hasSize(RepeatLimitingHandler.BURST);
    }
}

package dev.fusionnode.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionnode.pipeline.BadInputException;
import org.junit.jupiter.api.Test;

/**
 * Sensor ids of pushed messages: at most 64 bytes of letters, digits, '_', '-' and '.'; a longer id
 * (60,000 characters were accepted before, each one a new metric series) is refused.
 */
class PushMessageTest {
    private static byte[] message(String id) {
        return new PushMessage(PushMessage.Kind.POINT_CLOUD, id, 1L, new byte[16]).toBytes();
    }

    @Test
    void idsUpTo64BytesAreTaken() {
        String id = "a".repeat(64);
        assertThat(PushMessage.parse(message(id), "test").sensorId()).isEqualTo(id);
    }

    @Test
    void longerIdsAreRefused() {
        assertThatThrownBy(() -> PushMessage.parse(message("a".repeat(65)), "test"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("ids are at most 64");
        assertThatThrownBy(() -> PushMessage.parse(message("x".repeat(60_000)), "test"))
                .isInstanceOf(BadInputException.class);
    }
}

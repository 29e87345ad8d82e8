package dev.fusionnode.publish.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The outbound buffer drops the oldest messages when full, and counts them; backoff grows and
 * resets.
 */
class OutboundBufferTest {
    private static OutgoingMessage msg(String topic) {
        return new OutgoingMessage(topic, new byte[] {1}, 0, false, "x/y", List.of());
    }

    @Test
    void dropsOldestFirstAndCounts() {
        OutboundBuffer b = new OutboundBuffer(3);
        for (int i = 0; i < 5; i++) {
            b.offer(msg("t" + i));
        }
        assertThat(b.dropped()).isEqualTo(2);
        assertThat(b.size()).isEqualTo(3);
        assertThat(b.poll().topic()).isEqualTo("t2");
        assertThat(b.requeue(msg("back"))).isTrue();
        assertThat(b.poll().topic()).isEqualTo("back");
        assertThat(b.poll().topic()).isEqualTo("t3");
        assertThat(b.poll().topic()).isEqualTo("t4");
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void backoffDoublesToTheCapAndResets() {
        Backoff b = new Backoff(100, 1_000);
        long first = b.next();
        assertThat(first).isBetween(80L, 120L);
        long second = b.next();
        assertThat(second).isBetween(160L, 240L);
        for (int i = 0; i < 10; i++) {
            assertThat(b.next()).isBetween(1L, 1_000L);
        }
        assertThat(b.next()).isGreaterThanOrEqualTo(800L);
        b.reset();
        assertThat(b.next()).isBetween(80L, 120L);
    }
}

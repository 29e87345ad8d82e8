package dev.fusionnode.publish.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which subscriptions take overlays, and when the encoder hears of it. */
class OverlaySubscribersTest {
    private final List<Boolean> told = new ArrayList<>();
    private final OverlaySubscribers subs = new OverlaySubscribers("fusion/car1", told::add);

    @Test
    void filtersThatTakeOverlays() {
        assertThat(subs.takesOverlays("fusion/car1/front/overlay")).isTrue();
        assertThat(subs.takesOverlays("fusion/car1/+/overlay")).isTrue();
        assertThat(subs.takesOverlays("fusion/car1/#")).isTrue();
        assertThat(subs.takesOverlays("fusion/#")).isTrue();
        assertThat(subs.takesOverlays("#")).isTrue();
        assertThat(subs.takesOverlays("+/+/+/+")).isTrue();
        assertThat(subs.takesOverlays("fusion/car1/front/#")).isTrue();
        assertThat(subs.takesOverlays("fusion/car1/front/overlay/#")).isTrue();
    }

    @Test
    void filtersThatDoNot() {
        assertThat(subs.takesOverlays("fusion/car1/front/mask")).isFalse();
        assertThat(subs.takesOverlays("fusion/car1/+/mask")).isFalse();
        assertThat(subs.takesOverlays("fusion/car2/#")).isFalse();
        assertThat(subs.takesOverlays("fusion/car1/status")).isFalse();
        assertThat(subs.takesOverlays("fusion/car1/front/overlay/x")).isFalse();
        assertThat(subs.takesOverlays("fusion/car1/+")).isFalse();
        assertThat(subs.takesOverlays("+/+/+")).isFalse();
    }

    @Test
    void theEncoderHearsOfTheFirstAndTheLastOverlaySubscriber() {
        subs.subscribed("a", "fusion/car1/front/mask");
        assertThat(told).isEmpty();
        subs.subscribed("a", "fusion/car1/+/overlay");
        subs.subscribed("b", "fusion/#");
        assertThat(told).containsExactly(true);
        subs.unsubscribed("a", "fusion/car1/+/overlay");
        assertThat(told).containsExactly(true);
        subs.gone("b");
        assertThat(told).containsExactly(true, false);
        subs.subscribed("c", "#");
        subs.gone("c");
        assertThat(told).containsExactly(true, false, true, false);
    }
}

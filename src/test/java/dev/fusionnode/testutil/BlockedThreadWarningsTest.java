package dev.fusionnode.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The blocked-thread guard of the test suite sees a blocked event loop. */
class BlockedThreadWarningsTest {
    /**
     * An event loop held for 400 ms with a 50 ms limit logs Vert.x's warning, and the guard has it
     * (taken here, so that this test passes; any other test that blocks would fail).
     */
    @Test
    void aBlockedEventLoopIsSeen() throws Exception {
        Vertx vertx =
                Vertx.vertx(
                        new VertxOptions()
                                .setMaxEventLoopExecuteTime(50)
                                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                                .setBlockedThreadCheckInterval(20));
        try {
            vertx.runOnContext(
                    v -> {
                        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
                        while (System.nanoTime() < until) {
                            LockSupport.parkNanos(1_000_000);
                        }
                    });
            List<String> seen =
                    Await.value(
                            BlockedThreadWarnings::take,
                            w -> !w.isEmpty(),
                            10,
                            "a blocked-thread warning");
            assertThat(String.join("\n", seen)).contains("has been blocked for");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
            BlockedThreadWarnings.take();
        }
    }
}

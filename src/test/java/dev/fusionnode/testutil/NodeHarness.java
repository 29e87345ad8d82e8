package dev.fusionnode.testutil;

import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.DropReason;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A node started by a test, with the queries and waits tests need: status sections, the drop
 * ledger, Prometheus text, and awaits on them (never a fixed sleep). Closing it stops the node.
 */
public final class NodeHarness implements AutoCloseable {
    private static final int START_SECONDS = 120;

    private final NodeRuntime rt;

    private NodeHarness(NodeRuntime rt) {
        this.rt = rt;
    }

    /** Starts a node with its default terminal stage. */
    public static NodeHarness start(NodeOptions options) {
        return start(options, true);
    }

    /**
     * Starts a node.
     *
     * @param withTracker false when the test consumes the frames itself (and ends them at the
     *     credit stage)
     */
    public static NodeHarness start(NodeOptions options, boolean withTracker) {
        try {
            return new NodeHarness(
                    NodeRuntime.start(options, withTracker).await(START_SECONDS, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            throw new AssertionError("the node did not start within " + START_SECONDS + " s", e);
        }
    }

    /** The running node. */
    public NodeRuntime runtime() {
        return rt;
    }

    /** Its Vert.x. */
    public Vertx vertx() {
        return rt.vertx();
    }

    /** Its HTTP port. */
    public int httpPort() {
        return rt.httpPort();
    }

    /** Resumes a replay that starts paused. */
    public NodeHarness resume() throws Exception {
        NodeConfigs.resume(rt);
        return this;
    }

    /** The whole {@code /api/status} document as the node builds it. */
    public JsonObject status() {
        return rt.status().snapshot();
    }

    /** One section of the status. */
    public JsonObject section(String name) {
        JsonObject s = status().getJsonObject(name);
        return s == null ? new JsonObject() : s;
    }

    /** Frames dropped for {@code reason}, from the ledger. */
    public long dropped(DropReason reason) {
        return rt.metrics().dropped(reason);
    }

    /** The Prometheus text of {@code /metrics}. */
    public String scrape() {
        return rt.registry().scrape();
    }

    /** Waits until the status section {@code name} satisfies {@code condition}. */
    public JsonObject awaitSection(
            String name, Predicate<JsonObject> condition, int seconds, String what) {
        return Await.value(() -> section(name), condition, seconds, what);
    }

    /**
     * Waits until the replay has finished and every frame it delivered has ended (published or
     * dropped and counted): after this no frame is in flight and the counts are final.
     */
    public NodeHarness awaitReplayDrained(int seconds) {
        Await.until(
                () ->
                        "finished".equals(section("replay").getString("state"))
                                && rt.framesInFlight() == 0,
                seconds,
                "the replay finished and every frame ended");
        return this;
    }

    /** Waits until no frame is in flight (every delivered frame has ended). */
    public NodeHarness awaitNoFrameInFlight(int seconds) {
        Await.until(() -> rt.framesInFlight() == 0, seconds, "every delivered frame ended");
        return this;
    }

    @Override
    public void close() {
        rt.close();
    }
}

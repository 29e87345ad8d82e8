package dev.fusionnode.pipeline;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * A stage of the node, in the style of Eclipse Hono's verticles: {@link #start()} is final; it
 * registers the stage's {@code /api/status} section and its standard gauge (the queue depth, when
 * the stage keeps a queue), then runs the stage's own {@link #startStage()}. {@link #stop()} is
 * final too and runs {@link #stopStage()}, where a stage stops taking work and finishes what it
 * accepted (within a bound). Stages take their options record, the metrics and the status registry
 * in their constructor.
 */
public abstract class Stage extends VerticleBase {
    /** The ledger and meters every stage reports to. */
    protected final NodeMetrics metrics;

    /** Where the stage's status section is registered. */
    protected final StatusRegistry status;

    private final String section;

    /**
     * Creates a stage.
     *
     * @param section its {@code /api/status} section, also the {@code stage} tag of its gauges
     */
    protected Stage(String section, NodeMetrics metrics, StatusRegistry status) {
        this.section = section;
        this.metrics = metrics;
        this.status = status;
    }

    /** Registers the status section and the standard gauges, then starts the stage. */
    @Override
    public final Future<?> start() {
        status.register(section, this::statusJson);
        Supplier<Number> queue = queueDepth();
        if (queue != null) {
            metrics.gauge(NodeMetrics.QUEUE_DEPTH, section, queue);
        }
        return startStage();
    }

    /** Stops the stage: it takes no more work and finishes what it accepted. */
    @Override
    public final Future<?> stop() {
        return stopStage();
    }

    /** Starts consuming (consumers, timers, workers). */
    protected abstract Future<?> startStage();

    /** Stops consuming and drains; nothing to do by default. */
    protected Future<?> stopStage() {
        return Future.succeededFuture();
    }

    /** The stage's live state for {@code /api/status}; called from any thread. */
    protected abstract JsonObject statusJson();

    /**
     * Items waiting inside the stage ({@code fusionnode_queue_depth{stage}}); null when the stage
     * keeps no queue.
     */
    protected Supplier<Number> queueDepth() {
        return null;
    }

    /** The stage's status section and gauge tag. */
    public final String section() {
        return section;
    }
}

package dev.fusionnode.learning;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * The live state of one fine-tune job, read by the HTTP API while the job thread updates it.
 * Thread-safe (all methods synchronized).
 */
public final class FineTuneJob {
    /** Where a job is. */
    public enum State {
        QUEUED,
        TRAINING,
        EVALUATING,
        PROMOTED,
        CANDIDATE,
        CANCELLED,
        FAILED
    }

    private final String id;
    private final FineTuneRequest request;
    private final JsonObject parameters;
    private final String created = Instant.now().toString();
    private volatile boolean cancelRequested;
    private boolean committed;
    private State state = State.QUEUED;
    private int epoch = -1;
    private int epochs;
    private double loss = Double.NaN;
    private JsonObject validation = new JsonObject();
    private final JsonArray history = new JsonArray();
    private JsonObject result = new JsonObject();
    private String error;

    /**
     * @param parameters the request as shown, with what the service added (frames in the store)
     */
    FineTuneJob(String id, FineTuneRequest request, JsonObject parameters) {
        this.id = id;
        this.request = request;
        this.parameters = parameters.copy();
        this.epochs = request.epochs();
    }

    /** Annotated frames in the store when the job was accepted. */
    int frames() {
        return parameters.getInteger("frames", 0);
    }

    /** What the job trains by. */
    FineTuneRequest request() {
        return request;
    }

    /** The job id. */
    public String id() {
        return id;
    }

    /** Its state. */
    public synchronized State state() {
        return state;
    }

    synchronized void state(State s) {
        state = s;
    }

    synchronized void progress(int epoch, double loss) {
        this.epoch = epoch;
        this.loss = loss;
    }

    /**
     * Records an epoch's validation scores: the latest become {@code validation}, and each epoch
     * (once) joins {@code history} with its training loss.
     */
    synchronized void validation(int epoch, JsonObject val, double trainLoss) {
        this.epoch = epoch;
        this.validation = val.copy();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.getJsonObject(i).getInteger("epoch") == epoch) {
                history.remove(i);
            }
        }
        history.add(
                new JsonObject()
                        .put("epoch", epoch)
                        .put("trainLoss", Double.isNaN(trainLoss) ? null : trainLoss)
                        .put("validation", val.copy()));
    }

    synchronized void finish(State s, JsonObject result) {
        this.state = s;
        this.result = result.copy();
    }

    synchronized void fail(String error) {
        this.state = State.FAILED;
        this.error = error;
    }

    /**
     * Asks the job to stop at the next batch. False when it is too late: the job has ended, or its
     * outcome (registration, promotion) is being applied.
     */
    public synchronized boolean cancel() {
        if (committed || done()) {
            return false;
        }
        cancelRequested = true;
        return true;
    }

    /**
     * Passes the point of no return before the outcome is applied; false when a cancel came first
     * (the job then ends cancelled and nothing of it is kept or served).
     */
    synchronized boolean commit() {
        if (cancelRequested) {
            return false;
        }
        committed = true;
        return true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    /** True once the job has ended, whatever the outcome. */
    public synchronized boolean done() {
        return state == State.PROMOTED
                || state == State.CANDIDATE
                || state == State.CANCELLED
                || state == State.FAILED;
    }

    /** The API's view. */
    public synchronized JsonObject toJson() {
        return new JsonObject()
                .put("id", id)
                .put("state", state.name().toLowerCase(Locale.ROOT))
                .put("created", created)
                .put("parameters", parameters)
                .put("epoch", epoch)
                .put("epochs", epochs)
                .put("loss", Double.isNaN(loss) ? null : loss)
                .put("validation", validation)
                .put("history", history.copy())
                .put("result", result)
                .put("error", error);
    }
}

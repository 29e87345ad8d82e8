package dev.fusionnode.http;

import dev.fusionnode.learning.FineTuneJob;
import dev.fusionnode.pipeline.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /api/finetune/{id}/events}: a fine-tune job as Server-Sent Events. Each change the job
 * publishes ({@link Addresses#TRAINING_PROGRESS}) is sent as an event {@code job} whose data is the
 * job's JSON, as {@code GET /api/finetune/{id}} answers it; the stream starts with the job as it is
 * and ends after its terminal state (promoted, candidate, cancelled, failed).
 */
final class JobEvents {
    /** A comment line this often keeps proxies and idle timeouts from closing a quiet stream. */
    static final long KEEP_ALIVE_MS = 15_000;

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final FineTuneJob job;
    private MessageConsumer<JsonObject> changes;
    private long keepAlive;
    private String last;
    private boolean ended;

    private JobEvents(Vertx vertx, HttpServerResponse response, FineTuneJob job) {
        this.vertx = vertx;
        this.response = response;
        this.job = job;
    }

    /** Streams {@code job} to {@code response}; runs on the request's event loop. */
    static void stream(Vertx vertx, HttpServerResponse response, FineTuneJob job) {
        JobEvents events = new JobEvents(vertx, response, job);
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        events.changes =
                vertx.eventBus()
                        .<JsonObject>localConsumer(
                                Addresses.TRAINING_PROGRESS,
                                m -> {
                                    if (job.id().equals(m.body().getString("id"))) {
                                        events.send();
                                    }
                                });
        events.keepAlive =
                vertx.setPeriodic(
                        KEEP_ALIVE_MS,
                        t -> {
                            if (!events.ended) {
                                response.write(": keep-alive\n\n");
                            }
                        });
        response.closeHandler(v -> events.stop());
        response.endHandler(v -> events.stop());
        // the current state once the consumer is in place: no change falls between the two
        events.changes.completion().onComplete(v -> events.send());
    }

    /**
     * Sends the job when it differs from what was sent last; ends the stream at a terminal state.
     */
    private void send() {
        if (ended) {
            return;
        }
        boolean done = job.done();
        String now = job.toJson().encode();
        if (!now.equals(last)) {
            last = now;
            response.write("event: job\ndata: " + now + "\n\n");
        }
        if (done) {
            ended = true;
            response.end();
            stop();
        }
    }

    private void stop() {
        ended = true;
        if (changes != null) {
            changes.unregister();
        }
        vertx.cancelTimer(keepAlive);
    }
}

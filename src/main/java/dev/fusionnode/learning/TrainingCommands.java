package dev.fusionnode.learning;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT side of on-vehicle learning: a JSON message on {@code <prefix>/cmd/finetune} starts a
 * job with those parameters (its progress then appears on {@code <prefix>/training/progress}); a
 * message on {@code <prefix>/annotations}, {@code {"camera": base64 PNG/JPEG, "lidar": base64 PNG
 * (optional), "annotation": base64 one-channel PNG}}, is stored. Bad messages are logged and
 * counted ({@code malformed_client_message}), never fatal.
 */
public final class TrainingCommands extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingCommands.class);

    private final FineTuneService service;
    private final NodeMetrics metrics;

    /** Commands for {@code service}. */
    public TrainingCommands(FineTuneService service, NodeMetrics metrics) {
        this.service = service;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        vertx.eventBus().<Buffer>localConsumer(Addresses.FINETUNE_COMMAND, m -> finetune(m.body()));
        vertx.eventBus()
                .<Buffer>localConsumer(Addresses.ANNOTATION_UPLOAD, m -> annotate(m.body()));
        return Future.succeededFuture();
    }

    private void finetune(Buffer payload) {
        JsonObject params;
        try {
            params = payload.length() == 0 ? new JsonObject() : new JsonObject(payload);
        } catch (DecodeException e) {
            bad("cmd/finetune", e.getMessage());
            return;
        }
        // start() writes the store's splits (fsynced files): on a worker, not the event loop
        vertx.executeBlocking(() -> service.start(params), false)
                .onSuccess(
                        job -> {
                            vertx.eventBus().publish(Addresses.TRAINING_PROGRESS, job.toJson());
                            LOG.info("fine-tune {} started from MQTT", job.id());
                        })
                .onFailure(
                        e -> {
                            if (e instanceof IllegalArgumentException
                                    || e instanceof FineTuneService.JobsFullException) {
                                bad("cmd/finetune", e.getMessage());
                            } else {
                                LOG.error(
                                        "could not start a fine-tune from MQTT: {}", e.toString());
                            }
                        });
    }

    private void annotate(Buffer payload) {
        vertx.<Long>executeBlocking(
                        () -> {
                            JsonObject m;
                            try {
                                m = new JsonObject(payload);
                            } catch (DecodeException e) {
                                throw new BadInputException(
                                        BadInputReason.MALFORMED_CLIENT_MESSAGE,
                                        "MQTT annotations",
                                        "not a JSON object: " + e.getMessage());
                            }
                            Image cam = image(m, "camera", ImageCodec.Channels.RGB);
                            Image ann = image(m, "annotation", ImageCodec.Channels.AS_STORED);
                            Optional<Image> lidar =
                                    m.containsKey("lidar")
                                            ? Optional.of(
                                                    image(m, "lidar", ImageCodec.Channels.RGB))
                                            : Optional.empty();
                            service.checkAnnotated(cam, lidar, ann, "MQTT annotations");
                            return service.store().add(cam, lidar, ann);
                        })
                .onSuccess(id -> LOG.debug("stored annotated frame {} from MQTT", id))
                .onFailure(err -> bad("annotations", err.getMessage()));
    }

    private static Image image(JsonObject m, String key, ImageCodec.Channels ch) {
        String b64 = m.getValue(key) instanceof String s ? s : null;
        if (b64 == null) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_CLIENT_MESSAGE,
                    "MQTT annotations",
                    "field '" + key + "' (base64 image) is missing");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(
                    BadInputReason.MALFORMED_CLIENT_MESSAGE,
                    "MQTT annotations",
                    "field '" + key + "' is not base64: " + e.getMessage());
        }
        String source = "MQTT annotations field '" + key + "'";
        return key.equals("annotation")
                ? ImageCodec.decodePng(bytes, source, ch)
                : ImageCodec.decode(bytes, source, ch);
    }

    private void bad(String topic, String why) {
        metrics.badInput(BadInputReason.MALFORMED_CLIENT_MESSAGE);
        LOG.warn("ignored an MQTT message on <prefix>/{}: {}", topic, why);
    }
}

package dev.fusionnode.publish.mqtt;

import dev.fusionnode.pipeline.EncodedFrame;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The topics and messages of a vehicle: {@code <prefix>/<camera>/mask} (single-channel PNG, pixel =
 * train-class index), {@code <prefix>/<camera>/confidence} (single-channel PNG, pixel = top softmax
 * probability x 255), {@code <prefix>/<camera>/overlay} (JPEG), {@code <prefix>/<camera>/meta}
 * (JSON) and the retained {@code <prefix>/status} (JSON).
 */
public final class MqttTopics {
    /** Content type of masks. */
    public static final String PNG = "image/png";

    /** Content type of overlays. */
    public static final String JPEG = "image/jpeg";

    /** Content type of meta and status. */
    public static final String JSON = "application/json";

    private final String prefix;
    private final MqttOptions.Qos qos;

    /** The topics under {@code prefix} with the given QoS per kind. */
    public MqttTopics(String prefix, MqttOptions.Qos qos) {
        this.prefix = prefix;
        this.qos = qos;
    }

    /** {@code <prefix>/<camera>/mask}. */
    public String mask(String camera) {
        return prefix + "/" + camera + "/mask";
    }

    /** {@code <prefix>/<camera>/confidence}. */
    public String confidence(String camera) {
        return prefix + "/" + camera + "/confidence";
    }

    /** {@code <prefix>/<camera>/overlay}. */
    public String overlay(String camera) {
        return prefix + "/" + camera + "/overlay";
    }

    /** {@code <prefix>/<camera>/meta}. */
    public String meta(String camera) {
        return prefix + "/" + camera + "/meta";
    }

    /** {@code <prefix>/cmd/finetune}: JSON parameters of a fine-tune job to start. */
    public String finetuneCommand() {
        return prefix + "/cmd/finetune";
    }

    /** {@code <prefix>/annotations}: an annotated frame (JSON with base64 images). */
    public String annotations() {
        return prefix + "/annotations";
    }

    /**
     * {@code <prefix>/sensors/#}: pushed sensor messages ({@code PushMessage}), e.g. on {@code
     * <prefix>/sensors/camera/front} and {@code <prefix>/sensors/lidar/top}.
     */
    public String sensors() {
        return prefix + "/sensors/#";
    }

    /** {@code <prefix>/training/progress}. */
    public String trainingProgress() {
        return prefix + "/training/progress";
    }

    /** A fine-tune job's progress (JSON, QoS of the status). */
    public OutgoingMessage trainingProgress(JsonObject job) {
        return new OutgoingMessage(
                trainingProgress(),
                job.encode().getBytes(StandardCharsets.UTF_8),
                qos.status(),
                false,
                JSON,
                List.of(
                        Map.entry("job", job.getString("id", "")),
                        Map.entry("state", job.getString("state", ""))));
    }

    /** {@code <prefix>/status}. */
    public String status() {
        return prefix + "/status";
    }

    /**
     * The messages of a frame: mask, confidence (QoS of the mask), overlay (when it was made:
     * someone subscribes to it), meta. Each carries the user properties {@code seq}, {@code
     * captureTimeNs}, {@code modelVersion}; the mask also {@code classes} (names by index,
     * comma-separated), {@code width} and {@code height}; the confidence also {@code
     * unfamiliarity}.
     */
    public List<OutgoingMessage> frame(EncodedFrame f) {
        List<Map.Entry<String, String>> common =
                List.of(
                        Map.entry("seq", Long.toString(f.seq())),
                        Map.entry("captureTimeNs", Long.toString(f.captureTimeNs())),
                        Map.entry("modelVersion", f.modelVersion()));
        List<Map.Entry<String, String>> maskProps = new ArrayList<>(common);
        maskProps.add(Map.entry("classes", String.join(",", f.classNames())));
        maskProps.add(Map.entry("width", Integer.toString(f.frame().mask().width())));
        maskProps.add(Map.entry("height", Integer.toString(f.frame().mask().height())));
        String camera = f.cameraId();
        List<Map.Entry<String, String>> confidenceProps = new ArrayList<>(common);
        confidenceProps.add(Map.entry("unfamiliarity", Double.toString(f.frame().unfamiliarity())));
        List<OutgoingMessage> out = new ArrayList<>(4);
        out.add(new OutgoingMessage(mask(camera), f.maskPng(), qos.mask(), false, PNG, maskProps));
        out.add(
                new OutgoingMessage(
                        confidence(camera),
                        f.confidencePng(),
                        qos.mask(),
                        false,
                        PNG,
                        confidenceProps));
        if (f.overlayJpeg().length > 0) {
            out.add(
                    new OutgoingMessage(
                            overlay(camera), f.overlayJpeg(), qos.overlay(), false, JPEG, common));
        }
        out.add(
                new OutgoingMessage(
                        meta(camera),
                        f.meta().encode().getBytes(StandardCharsets.UTF_8),
                        qos.meta(),
                        false,
                        JSON,
                        common));
        return out;
    }

    /** The retained status message. */
    public OutgoingMessage status(JsonObject status) {
        return new OutgoingMessage(
                status(),
                status.encode().getBytes(StandardCharsets.UTF_8),
                qos.status(),
                true,
                JSON,
                List.of(Map.entry("state", status.getString("state", "unknown"))));
    }
}

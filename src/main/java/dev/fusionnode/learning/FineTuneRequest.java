package dev.fusionnode.learning;

import dev.fusionnode.model.config.PaperConfig;
import dev.fusionnode.training.Augmentation;
import dev.fusionnode.training.ClassWeights;
import dev.fusionnode.training.FineTuneMode;
import dev.fusionnode.training.SampleLoader;
import dev.fusionnode.training.SegmentationLoss;
import dev.fusionnode.training.TrainingOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fine-tune request, parsed and checked once from the JSON of {@code POST /api/finetune} or MQTT
 * {@code <prefix>/cmd/finetune} (unknown keys, wrong types and out-of-range values are refused with
 * the key named); the job keeps it and trains from it.
 *
 * @param specialist the classes of a specialist job; empty for an ordinary one
 */
public record FineTuneRequest(
        int epochs,
        int batchSize,
        double lr,
        boolean augment,
        long seed,
        SegmentationLoss.Kind loss,
        double gamma,
        double diceWeight,
        FineTuneMode mode,
        ClassWeights classWeights,
        float classWeightCap,
        SampleLoader.LabelWeights labelWeights,
        List<String> specialist) {

    /** The parameters a fine-tune request may carry. */
    static final Set<String> PARAMETERS =
            Set.of(
                    "epochs",
                    "lr",
                    "batchSize",
                    "augment",
                    "seed",
                    "loss",
                    "gamma",
                    "diceWeight",
                    "mode",
                    "classWeights",
                    "classWeightCap",
                    "humanWeight",
                    "pseudoWeight",
                    "specialist");

    /**
     * Parses a request.
     *
     * @param defaults the configured epochs, batch size and learning rate
     * @param classNames the served model's classes
     * @throws IllegalArgumentException naming the parameter that is unknown, mistyped or out of
     *     range
     */
    public static FineTuneRequest parse(
            JsonObject params, FineTuneOptions defaults, List<String> classNames) {
        checkParameters(params);
        int epochs = intParam(params, "epochs", defaults.epochs(), 1, 1000);
        int batch = intParam(params, "batchSize", defaults.batchSize(), 1, 256);
        double lr = params.getValue("lr") instanceof Number n ? n.doubleValue() : defaults.lr();
        if (!(lr > 0 && lr < 1)) {
            throw new IllegalArgumentException(
                    "lr must be in (0, 1), got " + params.getValue("lr"));
        }
        SegmentationLoss.Kind loss = SegmentationLoss.Kind.parse(params.getString("loss", "ce"));
        double gamma = params.getValue("gamma") instanceof Number g ? g.doubleValue() : 2.0;
        double dice = params.getValue("diceWeight") instanceof Number d ? d.doubleValue() : 1.0;
        if (!(gamma >= 0 && gamma <= 10) || !(dice >= 0 && dice <= 100)) {
            throw new IllegalArgumentException(
                    "gamma must be in [0, 10] and diceWeight in [0, 100]");
        }
        FineTuneMode mode = FineTuneMode.parse(params.getString("mode", "full"));
        float cap = floatParam(params, "classWeightCap", ClassWeights.DEFAULT_CAP, 1, 1000);
        Object cw = params.getValue("classWeights", "auto");
        ClassWeights classWeights = ClassWeights.fromJson(cw, cap).checkFor(classNames);
        var labelWeights =
                new SampleLoader.LabelWeights(
                        floatParam(params, "humanWeight", 1f, 0, 100),
                        floatParam(
                                params,
                                "pseudoWeight",
                                FineTuneService.DEFAULT_PSEUDO_WEIGHT,
                                0,
                                100));
        List<String> specialist = specialistClasses(params.getValue("specialist"), classNames);
        return new FineTuneRequest(
                epochs,
                batch,
                lr,
                params.getBoolean("augment", true),
                params.getLong("seed", 0L),
                loss,
                gamma,
                dice,
                mode,
                classWeights,
                cap,
                labelWeights,
                List.copyOf(specialist));
    }

    /** The request as the job's {@code parameters} show it. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("epochs", epochs)
                .put("batchSize", batchSize)
                .put("lr", lr)
                .put("augment", augment)
                .put("seed", seed)
                .put("loss", loss.name().toLowerCase(Locale.ROOT))
                .put("gamma", gamma)
                .put("diceWeight", diceWeight)
                .put("mode", mode.name().toLowerCase(Locale.ROOT))
                .put(
                        "classWeights",
                        classWeights.source() == ClassWeights.Source.GIVEN
                                ? new JsonArray(floatList(classWeights.given()))
                                : classWeights.source().name().toLowerCase(Locale.ROOT))
                .put("classWeightCap", classWeightCap)
                .put("humanWeight", labelWeights.human())
                .put("pseudoWeight", labelWeights.pseudo())
                .put("specialist", specialist.isEmpty() ? null : new JsonArray(specialist));
    }

    /** The trainer's options for this request on {@code cfg}, starting from {@code base}. */
    TrainingOptions trainingOptions(PaperConfig cfg, Path base) {
        var t = cfg.dataset().transforms();
        return new TrainingOptions(
                epochs,
                batchSize,
                lr,
                cfg.clft().lrMomentum(),
                seed,
                Optional.of(base),
                augment
                        ? new Augmentation(t.pFlip(), t.pCrop(), t.pRot(), t.randomRotateRange())
                        : Augmentation.NONE,
                1,
                0,
                loss,
                gamma,
                diceWeight,
                mode,
                classWeights,
                labelWeights);
    }

    /**
     * Refuses unknown keys and values of the wrong JSON type, naming the key (a misspelt or quoted
     * parameter is an error, not silently the default).
     */
    private static void checkParameters(JsonObject p) {
        for (String key : p.fieldNames()) {
            if (!PARAMETERS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown fine-tune parameter '"
                                + key
                                + "'; known: "
                                + new TreeSet<>(PARAMETERS));
            }
            Object v = p.getValue(key);
            String want =
                    switch (key) {
                        case "augment" -> v instanceof Boolean ? null : "true or false";
                        case "loss", "mode" -> v instanceof String ? null : "a string";
                        case "seed" ->
                                v instanceof Number n
                                                && n.doubleValue() == Math.rint(n.doubleValue())
                                                && Math.abs(n.doubleValue()) < 9.0e15
                                        ? null
                                        : "an integer";
                        case "classWeights" ->
                                v instanceof String || v instanceof JsonArray
                                        ? null
                                        : "\"auto\", \"config\" or an array of numbers";
                        case "specialist" ->
                                v instanceof JsonArray ? null : "an array of class names";
                        default -> v instanceof Number ? null : "a number";
                    };
            if (want != null) {
                throw new IllegalArgumentException(
                        "fine-tune parameter '"
                                + key
                                + "' must be "
                                + want
                                + ", got "
                                + (v == null ? "null" : Json.encode(v)));
            }
        }
    }

    /**
     * The classes of a specialist job ({@code "specialist": ["sign"]}): served classes other than
     * the first (background); empty for an ordinary job.
     */
    private static List<String> specialistClasses(Object value, List<String> served) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray a) || a.isEmpty() || a.size() > served.size() - 2) {
            throw new IllegalArgumentException(
                    "specialist must list 1 to "
                            + (served.size() - 2)
                            + " of the served classes "
                            + served.subList(1, served.size())
                            + ", got "
                            + value);
        }
        List<String> out = new ArrayList<>();
        for (Object o : a) {
            String name = String.valueOf(o);
            if (!served.contains(name) || served.indexOf(name) == 0 || out.contains(name)) {
                throw new IllegalArgumentException(
                        "specialist class '"
                                + name
                                + "' is not one of "
                                + served.subList(1, served.size())
                                + " (or is listed twice)");
            }
            out.add(name);
        }
        return out;
    }

    private static float floatParam(JsonObject p, String key, float def, float min, float max) {
        Object v = p.getValue(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Number n) || !(n.floatValue() >= min && n.floatValue() <= max)) {
            throw new IllegalArgumentException(
                    key + " must be a number in [" + min + ", " + max + "], got " + v);
        }
        return n.floatValue();
    }

    private static List<Float> floatList(float[] v) {
        List<Float> out = new ArrayList<>();
        for (float f : v) {
            out.add(f);
        }
        return out;
    }

    private static int intParam(JsonObject p, String key, int def, int min, int max) {
        Object v = p.getValue(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Number n)
                || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < min
                || n.doubleValue() > max) {
            throw new IllegalArgumentException(
                    key + " must be an integer in " + min + ".." + max + ", got " + v);
        }
        return n.intValue();
    }
}

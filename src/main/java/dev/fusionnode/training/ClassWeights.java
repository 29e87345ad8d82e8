package dev.fusionnode.training;

import dev.fusionnode.io.AnnotationStatistics;
import dev.fusionnode.io.DatasetLayout;
import dev.fusionnode.model.config.PaperConfig;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a training run's class weights come from: the config's ({@code config}, the paper's way),
 * given ones, or {@code auto}: inverse pixel frequency of each train class over the training
 * split's annotations, relative to the most frequent class and capped, so that a class under 1 % of
 * the pixels (signs, humans) weighs up to {@code cap} times the background.
 *
 * @param source config, given or auto
 * @param given the weights when given
 * @param cap the largest auto weight
 */
public record ClassWeights(Source source, float[] given, float cap) {
    /** Where the weights come from. */
    public enum Source {
        /** The config's {@code Dataset.class_weights}. */
        CONFIG,
        /** Listed by the caller. */
        GIVEN,
        /** Inverse frequency in the training split, capped. */
        AUTO
    }

    /** The config's weights. */
    public static final ClassWeights CONFIG = new ClassWeights(Source.CONFIG, null, 0);

    /** Default cap of {@code auto} weights. */
    public static final float DEFAULT_CAP = 20f;

    /** Checks the values. */
    public ClassWeights {
        given = given == null ? null : given.clone();
        if (source == Source.GIVEN) {
            if (given == null || given.length == 0) {
                throw new IllegalArgumentException("given class weights need at least one value");
            }
            for (float w : given) {
                if (!(w >= 0) || Float.isInfinite(w)) {
                    throw new IllegalArgumentException(
                            "class weights must be finite and >= 0, got " + Arrays.toString(given));
                }
            }
        }
        if (source == Source.AUTO && !(cap >= 1)) {
            throw new IllegalArgumentException("the cap of auto class weights must be >= 1");
        }
    }

    /** Inverse-frequency weights with this cap. */
    public static ClassWeights auto(float cap) {
        return new ClassWeights(Source.AUTO, null, cap);
    }

    /**
     * Parses {@code config}, {@code auto} or a comma-separated list of numbers.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static ClassWeights parse(String s, float cap) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        if (v.equals("config")) {
            return CONFIG;
        }
        if (v.equals("auto")) {
            return auto(cap);
        }
        String[] parts = v.split(",");
        float[] w = new float[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                w[i] = Float.parseFloat(parts[i].strip());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "class weights must be 'config', 'auto' or numbers like 1,3,20,12; got '"
                            + s
                            + "'");
        }
        return new ClassWeights(Source.GIVEN, w, cap);
    }

    /**
     * From a JSON value (a job parameter): {@code "config"}, {@code "auto"} or an array of numbers.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static ClassWeights fromJson(Object value, float cap) {
        if (value instanceof JsonArray a) {
            return parse(String.join(",", a.stream().map(String::valueOf).toList()), cap);
        }
        return parse(String.valueOf(value), cap);
    }

    /**
     * The weights for a run of {@code config} on the split {@code trainSplit} under {@code root}.
     *
     * @throws IllegalArgumentException when given weights do not match the class count
     */
    public float[] resolve(PaperConfig config, Path root, Path trainSplit) {
        int classes = config.classNames().size();
        return switch (source) {
            case CONFIG -> config.classWeights();
            case GIVEN -> checkFor(config.classNames()).given().clone();
            case AUTO -> {
                var counts =
                        new AnnotationStatistics(
                                        root,
                                        DatasetLayout.fromId(config.dataset().name()),
                                        config.dataset().annotationPath())
                                .count(trainSplit);
                yield inverseFrequency(
                        trainClassPixels(counts.pixels(), config.relabelTable(), classes), cap);
            }
        };
    }

    /**
     * These weights, checked against {@code classNames}: given weights need one per class.
     *
     * @throws IllegalArgumentException naming both counts
     */
    public ClassWeights checkFor(List<String> classNames) {
        if (source == Source.GIVEN && given.length != classNames.size()) {
            throw new IllegalArgumentException(
                    "classWeights has "
                            + given.length
                            + " values for "
                            + classNames.size()
                            + " classes "
                            + classNames);
        }
        return this;
    }

    /** Pixels per train class from pixels per dataset id (ignored pixels left out). */
    static long[] trainClassPixels(long[] idPixels, int[] relabel, int classes) {
        long[] out = new long[classes];
        for (int id = 0; id < idPixels.length; id++) {
            if (id == TrainingSample.IGNORE) {
                continue;
            }
            int c = id < relabel.length ? relabel[id] : 0;
            if (c >= 0 && c < classes) {
                out[c] += idPixels[id];
            }
        }
        return out;
    }

    /**
     * {@code min(cap, n_max / n_c)}: 1 for the most frequent class, more for rarer ones; a class
     * without pixels gets the cap.
     */
    public static float[] inverseFrequency(long[] classPixels, float cap) {
        long max = Arrays.stream(classPixels).max().orElse(0);
        float[] w = new float[classPixels.length];
        for (int c = 0; c < w.length; c++) {
            w[c] =
                    classPixels[c] == 0 || max == 0
                            ? cap
                            : (float) Math.min(cap, (double) max / classPixels[c]);
        }
        return w;
    }

    /** How the weights were chosen, for training.json. */
    public String describe() {
        return switch (source) {
            case CONFIG -> "config";
            case GIVEN -> "given";
            case AUTO -> "auto (inverse frequency, cap " + cap + ")";
        };
    }
}

package dev.fusionnode.inference;

import java.awt.Color;
import java.util.List;

/**
 * The classes a served model predicts, by train index: names and colours ({@code 0xRRGGBB}, from
 * the config's {@code train_classes}).
 *
 * @param names class names
 * @param colors class colours
 */
public record ModelClasses(List<String> names, int[] colors) {
    /** The paper's ZOD classes and colours (clft-spec §7.3): background, vehicle, sign, human. */
    public static final ModelClasses ZOD =
            new ModelClasses(
                    List.of("background", "vehicle", "sign", "human"),
                    new int[] {0x000000, 0x800080, 0xFF0000, 0x00FFFF});

    /** Checks that every class has a colour. */
    public ModelClasses {
        names = List.copyOf(names);
        colors = colors.clone();
        if (names.size() != colors.length) {
            throw new IllegalArgumentException(
                    names.size() + " class names but " + colors.length + " colours");
        }
    }

    /** Names for {@code n} classes: the ZOD list when it fits, else {@code class0..}. */
    public static ModelClasses forCount(int n) {
        if (n == ZOD.names.size()) {
            return ZOD;
        }
        String[] names = new String[n];
        int[] colors = new int[n];
        for (int i = 0; i < n; i++) {
            names[i] = i == 0 ? "background" : "class" + i;
            colors[i] = i == 0 ? 0 : Color.HSBtoRGB(i / (float) n, 0.9f, 1f) & 0xFFFFFF;
        }
        return new ModelClasses(List.of(names), colors);
    }
}

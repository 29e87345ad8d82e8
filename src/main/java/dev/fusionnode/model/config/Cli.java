package dev.fusionnode.model.config;

import dev.fusionnode.model.ClftMode;
import java.util.Locale;

/**
 * The {@code CLI} block: which model family, which inputs, and where the test splits lie.
 *
 * @param backbone model family; always {@code clft} here (DeepLab configs have no CLFT block)
 * @param mode inputs the model uses ({@code rgb}, {@code lidar}, {@code cross_fusion})
 * @param path directory holding the {@code test_*.txt} split files, as written in the file
 */
public record Cli(String backbone, ClftMode mode, String path) {

    static Cli from(JsonFields f) {
        String backbone = f.string("backbone");
        if (!"clft".equals(backbone.strip().toLowerCase(Locale.ROOT))) {
            throw f.invalid(
                    "backbone",
                    "must be \"clft\" (the only model this reader builds), found \""
                            + backbone
                            + "\"");
        }
        String modeId = f.string("mode");
        ClftMode mode;
        try {
            mode = ClftMode.fromId(modeId);
        } catch (IllegalArgumentException e) {
            throw f.invalid("mode", e.getMessage());
        }
        return new Cli("clft", mode, f.string("path"));
    }
}

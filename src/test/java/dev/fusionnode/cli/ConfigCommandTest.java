package dev.fusionnode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.testutil.Console;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code fusion-node config}: the effective configuration, its sources, masking and refusals. */
class ConfigCommandTest {
    private static Console.Printed config(Map<String, String> env) {
        return Console.capture(() -> ConfigCommand.print(Path.of("config/node.json"), env));
    }

    @Test
    void printsEveryKeyWithItsSource() {
        Console.Printed p = config(Map.of());
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out())
                .containsPattern("(?m)^http\\.port +8080 +config/node\\.json$")
                .containsPattern("(?m)^mqtt\\.embedded\\.port +1883 +config/node\\.json$")
                .containsPattern("(?m)^sync\\.maxBufferedScans +32 +default$")
                .containsPattern("(?m)^replay\\.mode +lossless +config/node\\.json$")
                .containsPattern(
                        "(?m)^# valid: \\d+ keys, \\d+ from the file, 0 from the environment");
    }

    @Test
    void showsOverridesAndMasksSecrets() {
        String token = "a-token-of-32-characters-exactly";
        Console.Printed p =
                config(
                        Map.of(
                                "FUSIONNODE_MQTT__EMBEDDED__PORT", "1884",
                                "FUSIONNODE_SECURITY__TOKEN", token,
                                "FUSIONNODE_LOG_LEVEL", "DEBUG"));
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out())
                .containsPattern(
                        "(?m)^mqtt\\.embedded\\.port +1884 +environment variable"
                                + " FUSIONNODE_MQTT__EMBEDDED__PORT$")
                .containsPattern(
                        "(?m)^security\\.token +\\*\\*\\* +environment variable"
                                + " FUSIONNODE_SECURITY__TOKEN$")
                .doesNotContain(token);
    }

    @Test
    void refusesAMisspeltOverrideNamingTheNearestKey() {
        Console.Printed p = config(Map.of("FUSIONNODE_MQTT__EMBEDED__PORT", "1884"));
        assertThat(p.code()).isEqualTo(2);
        assertThat(p.out()).isEmpty();
        assertThat(p.err())
                .contains("FUSIONNODE_MQTT__EMBEDED__PORT")
                .contains("names no configuration key")
                .contains("FUSIONNODE_MQTT__EMBEDDED__PORT (mqtt.embedded.port)");
    }

    @Test
    void refusesAnInvalidValueNamingTheKey() {
        Console.Printed p = config(Map.of("FUSIONNODE_HTTP__PORT", "eighty"));
        assertThat(p.code()).isEqualTo(2);
        assertThat(p.err())
                .contains("environment variable FUSIONNODE_HTTP__PORT")
                .contains("http.port");
    }
}
